/**
 * The TLS security policies an HTTPS listener of an Application Load Balancer may name, and the protocol
 * versions each one lets clients use. A name outside this list is refused by ELB when the listener is created.
 */
// source: Elastic Load Balancing, "Security policies for your Application Load Balancer" (describe-ssl-policies.html):
// the protocol tables of the TLS, FIPS and FS policies; the post-quantum ("PQ") and RFC 9151 names from the current page
// and Security Hub control ELB.17, their versions read from the naming scheme (TLS13-1-x: TLS 1.x to 1.3); the two
// 2015 policies from the weak-policy lists of checkov (CKV2_AWS_74) and trivy (AVD-AWS-0047), not in the current table,
// kept so that a listener made with one is recognised; read 2026-12-06

/** TLS versions a policy accepts from clients. */
export type TlsVersion = "1.0" | "1.1" | "1.2" | "1.3";

const FROM_1_0: readonly TlsVersion[] = ["1.0", "1.1", "1.2", "1.3"];
const FROM_1_1: readonly TlsVersion[] = ["1.1", "1.2", "1.3"];
const FROM_1_2: readonly TlsVersion[] = ["1.2", "1.3"];
const ONLY_1_3: readonly TlsVersion[] = ["1.3"];
const ONLY_1_2: readonly TlsVersion[] = ["1.2"];
const TLS_1_0_TO_1_2: readonly TlsVersion[] = ["1.0", "1.1", "1.2"];
const TLS_1_1_TO_1_2: readonly TlsVersion[] = ["1.1", "1.2"];

export const ELB_SECURITY_POLICIES: Readonly<Record<string, readonly TlsVersion[]>> = {
  // TLS security policies
  "ELBSecurityPolicy-TLS13-1-3-2021-06": ONLY_1_3,
  "ELBSecurityPolicy-TLS13-1-2-2021-06": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-1-2021-06": FROM_1_1,
  "ELBSecurityPolicy-TLS13-1-0-2021-06": FROM_1_0,
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": ONLY_1_2,
  "ELBSecurityPolicy-TLS-1-2-2017-01": ONLY_1_2,
  "ELBSecurityPolicy-TLS-1-1-2017-01": TLS_1_1_TO_1_2,
  "ELBSecurityPolicy-2016-08": TLS_1_0_TO_1_2,
  "ELBSecurityPolicy-TLS-1-0-2015-04": TLS_1_0_TO_1_2,
  "ELBSecurityPolicy-2015-05": TLS_1_0_TO_1_2,
  // FIPS security policies
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": ONLY_1_3,
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04": FROM_1_1,
  "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04": FROM_1_0,
  // FS (forward secrecy) policies
  "ELBSecurityPolicy-FS-1-2-Res-2020-10": ONLY_1_2,
  "ELBSecurityPolicy-FS-1-2-Res-2019-08": ONLY_1_2,
  "ELBSecurityPolicy-FS-1-2-2019-08": ONLY_1_2,
  "ELBSecurityPolicy-FS-1-1-2019-08": TLS_1_1_TO_1_2,
  "ELBSecurityPolicy-FS-2018-06": TLS_1_0_TO_1_2,
  // Post-quantum (hybrid ML-KEM key exchange) policies
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09": ONLY_1_3,
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09": FROM_1_0,
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09": ONLY_1_3,
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09": FROM_1_0,
  // RFC 9151 (CNSA 1.0) policies
  "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07": ONLY_1_3,
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07": FROM_1_2,
  "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07": FROM_1_2,
};

export const ELB_SECURITY_POLICY_NAMES = Object.keys(ELB_SECURITY_POLICIES);

/**
 * The policy AWS recommends for new listeners and the console proposes (TLS 1.3 and 1.2, forward-secret AES-GCM
 * ciphers, hybrid post-quantum key exchange where the client offers it).
 */
// source: the ELB security policies page above, considerations, read 2026-12-06
export const RECOMMENDED_SECURITY_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** The outdated versions (TLS 1.0, 1.1) a policy still accepts: [] for a policy of TLS 1.2 or newer only. */
export function legacyTlsVersions(policy: string): TlsVersion[] {
  return (ELB_SECURITY_POLICIES[policy] ?? []).filter((version) => version === "1.0" || version === "1.1");
}
