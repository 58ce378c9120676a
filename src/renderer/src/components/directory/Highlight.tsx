import { highlightParts } from '../../search/device-index';

/** Text with its matched letters marked (the search's ranges for this field). */
export function Highlight({ text, ranges }: { text: string; ranges: number[] | undefined }) {
  if (!ranges || ranges.length === 0) return <>{text}</>;
  return <>{highlightParts(text, ranges).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}
