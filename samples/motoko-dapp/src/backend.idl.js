// The backend's Candid interface (build/backend.did, written by the compiler), as @dfinity/candid's IDL.
export const backendIdl = ({ IDL }) =>
  IDL.Service({
    whoami_checked: IDL.Func([], [IDL.Principal], []),
    whoami: IDL.Func([], [IDL.Principal], ['query']),
    answered_calls: IDL.Func([], [IDL.Nat], ['query']),
  });
