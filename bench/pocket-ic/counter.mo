import Prim "mo:⛔";
persistent actor Counter {
  var count : Nat = 0;
  public func inc() : async Nat { count += 1; count };
  public query func get() : async Nat { count };
  public shared(msg) func whoami() : async Principal { msg.caller };
  public func boom() : async () { count += 100; Prim.trap("boom") };
  public query func now() : async Nat64 { Prim.time() };
};
