namespace Transmission.Interop.Tests.Support;

/// <summary>Bounds for every await in the interop tests, so a hung peer fails a test instead of the run.</summary>
internal static class TestTimeouts
{
    /// <summary>The deadline OUR client puts on a call.</summary>
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(20);

    /// <summary>The longest any single await may take; longer than <see cref="Call"/> so deadlines fire first.</summary>
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Await);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Await);
}
