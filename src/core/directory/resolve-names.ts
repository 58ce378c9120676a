// Site and device names from the target host (rule 2b) and from the agent serving the target (rule 2c).
import { memoByString } from './resolve-memo';
import { readAgentSite, cleanName } from './resolve-metadata';
import type { AccountIndex, Rec } from './resolve-read';
import { field, refId, text } from './resolve-read';

/**
 * `<device>.<site>.internal` → device, site; `<device>.internal` → device only. Deeper hosts
 * (`a.b.clinic1.internal`) keep everything left of the site as the device name. A host outside `.internal`
 * (not something ngrok forwards to, but data is data) names the device only.
 */
export function namesFromHost(host: string): { device: string | null; site: string | null } {
  return hostNamesMemo(host);
}

/** Shared results (callers never mutate them): a fleet has one host per device, unchanged between syncs. */
const hostNamesMemo = memoByString(readHostNames);

function readHostNames(host: string): { device: string | null; site: string | null } {
  const labels = host.split('.').filter((l) => l !== '');
  const last = labels[labels.length - 1];
  if (last === undefined) return { device: null, site: null };
  if (last.toLowerCase() !== 'internal') return { device: cleanName(host), site: null };
  const inner = labels.slice(0, -1);
  if (inner.length === 0) return { device: null, site: null };
  if (inner.length === 1) return { device: cleanName(inner[0] as string), site: null };
  return {
    device: cleanName(inner.slice(0, -1).join('.')),
    site: cleanName(inner[inner.length - 1] as string),
  };
}

/** The site an agent session belongs to: its metadata, else the name of its authtoken's owner. */
export function sessionSite(session: Rec, index: AccountIndex): string | null {
  // Many services share one agent: read each session once per resolve.
  const known = index.sessionSites.get(session);
  if (known !== undefined) return known;
  const site = readSessionSite(session, index);
  index.sessionSites.set(session, site);
  return site;
}

function readSessionSite(session: Rec, index: AccountIndex): string | null {
  const fromMeta = readAgentSite(field(session, 'metadata'));
  if (fromMeta !== null) return fromMeta;
  const credentialId = refId(field(session, 'credential'));
  const credential = credentialId === null ? undefined : index.credentials.get(credentialId);
  const ownerId = credential === undefined ? null : text(field(credential, 'owner_id'), 200);
  const owner = ownerId === null ? undefined : index.userNames.get(ownerId);
  return owner === undefined ? null : cleanName(owner);
}

/**
 * The site named by the agent(s) serving a target: agent endpoint → tunnel session → metadata or authtoken owner;
 * last, the agent endpoint's own principal (its owner user). Pooled agents come in a stable order.
 */
export function agentSite(agents: readonly Rec[], index: AccountIndex): string | null {
  for (const agent of agents) {
    const sessionId = refId(field(agent, 'tunnel_session'));
    const session = sessionId === null ? undefined : index.sessions.get(sessionId);
    const site = session === undefined ? null : sessionSite(session, index);
    if (site !== null) return site;
  }
  for (const agent of agents) {
    const principalId = refId(field(agent, 'principal'));
    const owner = principalId === null ? undefined : index.userNames.get(principalId);
    if (owner !== undefined) {
      const name = cleanName(owner);
      if (name !== null) return name;
    }
  }
  return null;
}
