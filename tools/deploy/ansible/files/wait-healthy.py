"""Kamal's health rule for the playbook, run on the host in one task (an Ansible retry loop costs seconds per
look): GET the new container's health URL once a second until it answers 200; stop at once when the container
exits or restarts (waiting longer will not help); give up after the timeout, naming the last answer.
Usage: python3 wait-healthy.py CONTAINER URL TIMEOUT_SECONDS. Exit status 0 healthy, 1 not."""
import subprocess
import sys
import time
import urllib.error
import urllib.request

container, url, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
start = time.monotonic()
last = "no answer yet"
while True:
    looked_at = time.monotonic()
    state = subprocess.run(
        ["docker", "container", "inspect", "--format", "{{.State.Running}} {{.State.ExitCode}} {{.RestartCount}}", container],
        capture_output=True, text=True,
    )
    if state.returncode != 0:
        print("the container is gone")
        sys.exit(1)
    running, exit_code, restarts = state.stdout.split()
    if running != "true" or restarts != "0":
        print(f"it exited with code {exit_code}" + (f" (restarted {restarts} times)" if restarts != "0" else ""))
        sys.exit(1)
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            if response.status == 200:
                print(f"{container} answers {url} with 200 after {time.monotonic() - start:.1f} s")
                sys.exit(0)
            last = f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        last = f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        last = str(getattr(error, "reason", error))
    elapsed = time.monotonic() - start
    if elapsed >= timeout:
        print(f"not healthy after {round(elapsed)} s; last answer: {last}")
        sys.exit(1)
    time.sleep(max(0.0, min(1.0 - (time.monotonic() - looked_at), timeout - elapsed)))
