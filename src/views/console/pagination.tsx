/** Previous / "Page X of Y" / Next for the console's server-side paginated lists (pages count from 0 in URLs). */
export function Pagination(props: { label: string; testid: string; page: number; size: number; total: number; noun: [one: string, many: string]; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.size));
  const { page, testid } = props;
  return (
    <nav class="pagination" aria-label={props.label} data-testid={`${testid}-pagination`}>
      {page > 0 ? (
        <a class="button small" rel="prev" href={props.href(Math.min(page, pages) - 1)} data-testid={`${testid}-page-prev`}>
          ← Previous
        </a>
      ) : (
        <span class="button small" aria-disabled="true">
          ← Previous
        </span>
      )}
      <span data-testid={`${testid}-page-status`}>
        Page {page + 1} of {pages}
        <span class="muted"> · {props.total === 1 ? `1 ${props.noun[0]}` : `${props.total} ${props.noun[1]}`}</span>
      </span>
      {page + 1 < pages ? (
        <a class="button small" rel="next" href={props.href(page + 1)} data-testid={`${testid}-page-next`}>
          Next →
        </a>
      ) : (
        <span class="button small" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}
