// Candid types of internet_identity.did shared by the scripts that speak to II (upstream type and field names).
// A function of IDL so that it serves both a top-level `IDL` import and an actor's `({ IDL }) => ...` factory.
export function iiTypes(IDL) {
  const MetadataMap = IDL.Rec();
  MetadataMap.fill(IDL.Vec(IDL.Tuple(IDL.Text, IDL.Variant({ map: MetadataMap, string: IDL.Text, bytes: IDL.Vec(IDL.Nat8) }))));
  const DeviceData = IDL.Record({
    pubkey: IDL.Vec(IDL.Nat8),
    alias: IDL.Text,
    credential_id: IDL.Opt(IDL.Vec(IDL.Nat8)),
    aaguid: IDL.Opt(IDL.Vec(IDL.Nat8)),
    purpose: IDL.Variant({ recovery: IDL.Null, authentication: IDL.Null }),
    key_type: IDL.Variant({ unknown: IDL.Null, platform: IDL.Null, cross_platform: IDL.Null, seed_phrase: IDL.Null, browser_storage_key: IDL.Null }),
    protection: IDL.Variant({ protected: IDL.Null, unprotected: IDL.Null }),
    origin: IDL.Opt(IDL.Text),
    metadata: IDL.Opt(MetadataMap),
  });
  const Delegation = IDL.Record({ pubkey: IDL.Vec(IDL.Nat8), expiration: IDL.Nat64, targets: IDL.Opt(IDL.Vec(IDL.Principal)) });
  const SignedDelegation = IDL.Record({ delegation: Delegation, signature: IDL.Vec(IDL.Nat8) });
  const GetDelegationResponse = IDL.Variant({ signed_delegation: SignedDelegation, no_such_delegation: IDL.Null });
  return { MetadataMap, DeviceData, Delegation, SignedDelegation, GetDelegationResponse };
}
