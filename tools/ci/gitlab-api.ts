/** The one GitLab API call the pipeline makes: the branch's last successful pipeline (needs a token with read_api). */
export interface GitLabApi {
  /** CI_API_V4_URL, e.g. https://gitlab.com/api/v4 */
  apiUrl: string;
  /** CI_PROJECT_ID */
  projectId: string;
  token: string;
}

interface PipelineSummary {
  id: number;
  sha: string;
}

export async function lastSuccessfulPipeline({ apiUrl, projectId, token }: GitLabApi, branch: string): Promise<PipelineSummary | undefined> {
  const url = new URL(`${apiUrl.replace(/\/$/, '')}/projects/${encodeURIComponent(projectId)}/pipelines`);
  url.search = new URLSearchParams({ ref: branch, status: 'success', order_by: 'id', sort: 'desc', per_page: '1' }).toString();
  const response = await fetch(url, { headers: { 'PRIVATE-TOKEN': token }, signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`GET ${url.origin}${url.pathname} answered ${response.status} ${response.statusText}`);
  const [latest] = (await response.json()) as PipelineSummary[];
  return latest && { id: latest.id, sha: latest.sha };
}
