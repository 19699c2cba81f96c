// The job summary (`GITHUB_STEP_SUMMARY`, GitHub-flavoured Markdown), the subset of
// @actions/core's `summary` Greenlight writes. Runners older than 2.298 and local runs have
// no summary file; `available()` says so and callers skip the summary instead of failing.
import { appendFileSync } from 'node:fs';

export type SummaryCell = string | { data: string; header?: boolean };

export class Summary {
  private buffer = '';

  available(): boolean {
    return Boolean(process.env.GITHUB_STEP_SUMMARY);
  }

  addHeading(text: string, level = 2): this {
    this.buffer += `<h${level}>${escapeHtml(text)}</h${level}>\n`;
    return this;
  }

  addRaw(text: string, addEol = true): this {
    this.buffer += text + (addEol ? '\n' : '');
    return this;
  }

  addTable(rows: SummaryCell[][]): this {
    const cells = rows.map(
      (row) =>
        `<tr>${row
          .map((cell) => {
            const { data, header } =
              typeof cell === 'string' ? { data: cell, header: false } : cell;
            const tag = header ? 'th' : 'td';
            return `<${tag}>${escapeHtml(data)}</${tag}>`;
          })
          .join('')}</tr>`,
    );
    this.buffer += `<table>${cells.join('')}</table>\n`;
    return this;
  }

  /** Appends what was added to the summary file and empties the buffer. */
  write(): void {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) return;
    appendFileSync(file, this.buffer, 'utf8');
    this.buffer = '';
  }
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
