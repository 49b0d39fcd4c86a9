namespace KafkaChaos.Workload;

/// <summary>
/// A kill asked of one consumer instance at a point of its cycle: the request, raised from the fault's thread
/// and read on the poll thread, and the completion the fault waits on once the instance is dead.
/// </summary>
internal sealed class CrashInjection
{
    private const int NoCrash = -1;

    private readonly TaskCompletionSource<string> _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _request = NoCrash;

    public bool HasCrashed => _crashed.Task.IsCompleted;

    /// <returns>Completes with what the crash cut short, once the instance is dead.</returns>
    public Task<string> Request(CrashPoint point)
    {
        Volatile.Write(ref _request, (int)point);
        return _crashed.Task;
    }

    /// <summary>Withdraws a request that was never reached, so that a later request starts clean.</summary>
    public void Cancel() => Volatile.Write(ref _request, NoCrash);

    public bool IsRequested(CrashPoint point) => Volatile.Read(ref _request) == (int)point;

    /// <summary>The instance died at the requested point; <paramref name="what"/> says what it cut short.</summary>
    public void Crashed(string what) => _crashed.TrySetResult(what);

    /// <summary>The exception that unwinds the poll loop at a crash point, as the process's death would end it.</summary>
    public sealed class Kill(string message) : Exception(message);
}
