// One comment per pull request and marker, edited in place on each push (the way
// plan-style actions such as Terraform's avoid a comment per push).
import type { GitHub } from './github.ts';

export interface PostedComment {
  id: number;
  url: string;
  created: boolean;
}

export async function upsertComment(
  { octokit, owner, repo }: GitHub,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<PostedComment> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const mine = comments.find((comment) => comment.body?.includes(marker));
  if (mine) {
    const { data } = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: mine.id,
      body,
    });
    return { id: data.id, url: data.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: issueNumber,
    body,
  });
  return { id: data.id, url: data.html_url, created: true };
}
