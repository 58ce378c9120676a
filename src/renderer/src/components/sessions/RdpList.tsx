// The remote desktops SiteHop started: each client with its state, exit code and what went wrong.
import { useAppStore } from '../../store';

const STATE = { launching: 'Starting', running: 'Running', exited: 'Ended', failed: 'Failed' } as const;

export function RdpList() {
  const rdp = useAppStore((s) => s.rdp);
  if (rdp.length === 0) return <p className="empty muted">No remote desktops launched yet.</p>;
  return (
    <table className="rdp-list">
      <caption className="visually-hidden">Remote desktops</caption>
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Client</th>
          <th scope="col">State</th>
          <th scope="col">Exit code</th>
          <th scope="col">Started</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {rdp.map((r) => (
          <tr key={r.launchId} data-state={r.state}>
            <td>{r.title}</td>
            <td>{r.client}</td>
            <td className={r.state === 'failed' ? 'warn' : ''}>{STATE[r.state]}</td>
            <td>{r.exitCode ?? '—'}</td>
            <td>{new Date(r.startedAt).toLocaleTimeString()}</td>
            <td>{r.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
