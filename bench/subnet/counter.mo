// The wasm counter of bench/subnet/run.sh (SubnetLoad --wasm-counter): one stable count, a certified update and a query.
persistent actor Counter {
  var count : Nat = 0;
  public func inc() : async Nat { count += 1; count };
  public query func get() : async Nat { count };
};
