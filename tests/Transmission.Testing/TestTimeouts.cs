namespace Transmission.Testing;

/// <summary>Bounds every await in a test, so a hang fails the test instead of hanging CI.</summary>
public static class TestTimeouts
{
    /// <summary>The default bound: generous, because CI machines are slow and shared.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A built executable starting up (dotnet host, JIT of the whole start-up path, migrations): on a 2-core machine
    /// shared with parallel builds this took over 30 s, so start-up waits get their own, longer bound.
    /// </summary>
    public static readonly TimeSpan ProcessStart = TimeSpan.FromSeconds(120);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Default);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);

    public static Task DefaultTimeout(this Task task, TimeSpan timeout) => task.WaitAsync(timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan timeout) => task.WaitAsync(timeout);
}
