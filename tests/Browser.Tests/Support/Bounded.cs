namespace InternetIdentity.Browser.Tests.Support;

/// <summary>Every wait in the browser tests is bounded and, when it runs out, says what it waited for.</summary>
public static class Bounded
{
    /// <summary>The default bound for one browser step (a page load, a WebAuthn ceremony, a popup).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>; fails naming <paramref name="what"/>.</summary>
    public static async Task<T> WaitAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        await WaitAsync((Task)task, what, timeout).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>; fails naming <paramref name="what"/>.</summary>
    public static async Task WaitAsync(Task task, string what, TimeSpan? timeout = null)
    {
        TimeSpan bound = timeout ?? Step;
        try
        {
            await task.WaitAsync(bound).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            // Either this bound ran out, or Playwright's own (a locator, navigation or event timeout) did first.
            Assert.Fail(task.IsCompleted
                ? $"timed out waiting for {what}: {e.Message}"
                : $"timed out after {bound.TotalSeconds:0} s waiting for {what}");
        }
    }
}
