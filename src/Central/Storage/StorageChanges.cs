namespace Transmission.Central.Storage;

/// <summary>
/// A wake-up for readers that follow the database (the review board): signalled after every commit that appended to
/// the log. It carries no data; readers query what is new. Other Central instances sharing a database are not
/// signalled, so readers also poll.
/// </summary>
public sealed class StorageChanges
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Signal"/>.</summary>
    public Task NextAsync()
    {
        lock (_lock)
        {
            return _next.Task;
        }
    }

    /// <summary>Wakes everyone waiting on <see cref="NextAsync"/>.</summary>
    public void Signal()
    {
        TaskCompletionSource current;
        lock (_lock)
        {
            current = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        current.TrySetResult();
    }
}
