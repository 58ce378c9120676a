// Traffic policies for generated cloud endpoints, in every form clients meet in the wild: JSON and YAML text,
// one rule with [restrict-ips, forward-internal] or two rules in order, with or without restrict-ips.
import { stringify as toYaml } from 'yaml';

export interface PolicySpec {
  forwardUrl: string;
  /** restrict-ips allow list; null means no restrict-ips action. */
  allow: string[] | null;
  deny?: string[];
  /** IP policy ids for restrict-ips instead of the allow list (ngrok's own TCP example). */
  ipPolicies?: string[];
  format: 'json' | 'yaml';
  rules: 1 | 2;
}

export function policyText(spec: PolicySpec): string {
  const forward = { type: 'forward-internal', config: { url: spec.forwardUrl } };
  const restrict =
    spec.allow === null
      ? null
      : {
          type: 'restrict-ips',
          config: {
            enforce: true,
            ...(spec.ipPolicies && spec.ipPolicies.length > 0
              ? { ip_policies: spec.ipPolicies }
              : { allow: spec.allow }),
            ...(spec.deny && spec.deny.length > 0 ? { deny: spec.deny } : {}),
          },
        };
  let rules: unknown[];
  if (spec.rules === 1) {
    rules = [{ actions: restrict ? [restrict, forward] : [forward] }];
  } else {
    // Without restrict-ips the first rule logs: a non-terminating action the client must step over.
    const first = restrict ?? { type: 'log', config: { metadata: { via: 'sitehop-sandbox' } } };
    rules = [
      { name: restrict ? 'allow office networks' : 'log connections', actions: [first] },
      { name: 'forward to device', actions: [forward] },
    ];
  }
  const doc = { on_tcp_connect: rules };
  return spec.format === 'json' ? JSON.stringify(doc) : toYaml(doc);
}
