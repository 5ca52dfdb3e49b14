import Prim "mo:⛔";

// The sample dapp's backend. It answers signed-in callers only: with Internet Identity the caller is the pseudonym II
// derived for the user and the dapp's origin, the same principal that II's get_principal names.
persistent actor Backend {
  // How many signed-in calls were answered; a stable variable, so it survives upgrades.
  var answered : Nat = 0;

  // The caller as this canister saw it, in a certified update call. The anonymous principal (2vxsx-fae) is refused
  // with a reject the agent shows to the user.
  public shared (msg) func whoami_checked() : async Principal {
    if (Prim.blobOfPrincipal(msg.caller) == "\04") {
      throw Prim.error("whoami_checked: the anonymous principal may not call this method; sign in with Internet Identity first");
    };
    answered += 1;
    msg.caller
  };

  // The caller, unchecked, in a query (anonymous callers get 2vxsx-fae).
  public shared query (msg) func whoami() : async Principal { msg.caller };

  // How many signed-in calls were answered so far.
  public query func answered_calls() : async Nat { answered };
};
