using Akka.Configuration;
using Akka.TestKit;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>
/// Akka.TestKit assertions for NUnit. They throw AssertionException instead of calling Assert.*, because NUnit 4
/// records a failed Assert even when AwaitAssert catches it and the retry succeeds.
/// </summary>
public sealed class NUnitAssertions : ITestKitAssertions
{
    public void Fail(string format = "", params object[] args) => throw Failure(format, args);

    public void AssertTrue(bool condition, string format = "", params object[] args)
    {
        if (!condition)
        {
            throw Failure(format, args);
        }
    }

    public void AssertFalse(bool condition, string format = "", params object[] args) => AssertTrue(!condition, format, args);

    public void AssertEqual<T>(T expected, T actual, string format = "", params object[] args) =>
        AssertEqual(expected, actual, EqualityComparer<T>.Default.Equals, format, args);

    public void AssertEqual<T>(T expected, T actual, Func<T, T, bool> comparer, string format = "", params object[] args)
    {
        if (!comparer(expected, actual))
        {
            // Formatted apart: a record's ToString holds braces that string.Format would read as placeholders.
            throw new AssertionException($"expected {expected} got {actual} {Failure(format, args).Message}");
        }
    }

    public Exception AssertThrows(Action action) => AssertThrows<Exception>(action);

    public TException AssertThrows<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException e)
        {
            return e;
        }
        throw new AssertionException($"expected {typeof(TException).Name}");
    }

    public Task<Exception> AssertThrowsAsync(Func<Task> action) => AssertThrowsAsync<Exception>(action);

    public async Task<TException> AssertThrowsAsync<TException>(Func<Task> action)
        where TException : Exception
    {
        try
        {
            await action();
        }
        catch (TException e)
        {
            return e;
        }
        throw new AssertionException($"expected {typeof(TException).Name}");
    }

    private static AssertionException Failure(string format, object[] args) =>
        new(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}

/// <summary>An Akka TestKit for NUnit: one ActorSystem per test (NUnit would otherwise share a fixture instance), shut down after it.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public abstract class NUnitTestKit : TestKitBase
{
    protected NUnitTestKit(Config? config = null, string? name = null)
        : base(new NUnitAssertions(), (config ?? Config.Empty).WithFallback(DefaultConfig), name)
    {
    }

    [TearDown]
    public void AkkaTearDown() => Shutdown();
}
