using Akka.Actor;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// Props that make an actor with a delegate. <c>Props.Create(() =&gt; new T(a, b, ...))</c> takes an expression tree and
/// compiles each argument of it to evaluate it, on every call: with a replica's few actors made at every start, that
/// was a measurable share of a warm <c>LocalNetwork</c> start's CPU (bench/README.md, startup).
/// </summary>
internal static class FactoryProps
{
    /// <summary>Props whose actors <paramref name="factory"/> makes (a fresh instance on every call).</summary>
    public static Props Of<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Props.CreateBy(new Producer<TActor>(factory));
    }

    private sealed class Producer<TActor>(Func<TActor> factory) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor)
        {
        }
    }
}
