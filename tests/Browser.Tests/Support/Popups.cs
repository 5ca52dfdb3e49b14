using Microsoft.Playwright;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>The II window a dapp opens with <c>window.open</c>: waiting for it to appear, and for it to close.</summary>
public static class Popups
{
    /// <summary>
    /// Runs <paramref name="open"/> (for example a click on the dapp's login button) and returns the page it opened in
    /// the same context; fails, naming <paramref name="what"/>, when none opens within the bound.
    /// </summary>
    public static Task<IPage> OpenAsync(IPage opener, Func<Task> open, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(opener);
        TimeSpan bound = timeout ?? Bounded.Step;
        return Bounded.WaitAsync(
            opener.Context.RunAndWaitForPageAsync(open, new BrowserContextRunAndWaitForPageOptions { Timeout = (float)bound.TotalMilliseconds }),
            what, bound + TimeSpan.FromSeconds(1));
    }

    /// <summary>Waits until <paramref name="popup"/> closes (the dapp closes II's window after a reply).</summary>
    public static async Task WaitForCloseAsync(IPage popup, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(popup);
        if (popup.IsClosed)
        {
            return;
        }

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        popup.Close += (_, _) => closed.TrySetResult();
        if (popup.IsClosed)
        {
            return; // closed between the check above and the subscription
        }

        await Bounded.WaitAsync(closed.Task, what, timeout);
    }
}
