// Previous / next under a list, with the range shown and the total when the server counts.

interface Props {
  firstShown: number;
  lastShown: number;
  total: number | undefined;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

export function Pager({ firstShown, lastShown, total, hasPrevious, hasNext, onPrevious, onNext }: Props) {
  return (
    <nav className="pager" aria-label="Pages">
      <span>
        {firstShown}–{lastShown}
        {total !== undefined && ` of ${total.toLocaleString('en')}`}
      </span>
      <button type="button" className="btn btn-small" disabled={!hasPrevious} onClick={onPrevious}>
        Previous
      </button>
      <button type="button" className="btn btn-small" disabled={!hasNext} onClick={onNext}>
        Next
      </button>
    </nav>
  );
}
