// A service as the resolver computes it, before it is placed in a site and a device (resolve-output.ts). Drafts are
// never mutated once made: they are reused by identity across re-resolves (resolve-reuse.ts), and the devices and
// sites built from them are reused when their drafts are the same objects.
import type { IpRuleList, ServiceKind, ServiceTarget } from '../../shared/directory-types';
import type { HostPort } from './resolve-address';
import type { KindFrom } from './resolve-kind';

export const UNASSIGNED_SITE = { id: '_unassigned', name: 'Unassigned' } as const;

/** Where a name came from; the better source names a merged site or device. */
export const enum Source {
  Metadata = 0,
  TargetHost = 1,
  Agent = 2,
  Fallback = 3,
}

export interface Named {
  name: string;
  source: Source;
}

export interface Draft {
  site: Named;
  device: Named;
  kind: ServiceKind;
  kindFrom: KindFrom;
  address: HostPort | null;
  path: string | null;
  target: string;
  targetPort: number | null;
  online: boolean;
  allow: string[];
  deny: string[];
  ipRules: IpRuleList[];
  targets: ServiceTarget[];
  /** No target can ever be served: none at all, or only internal cloud endpoints that forward nowhere. */
  noEndpoint: boolean;
  pooled: boolean;
  pooledPoliciesDiffer: boolean;
  agentBound: boolean;
  username: string | null;
  problem: string | null;
}
