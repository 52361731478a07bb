namespace Transmission.Interop.Tests.Support;

/// <summary>An interop case failed; the message carries the peer's output, the inner exception the first failure.</summary>
public sealed class InteropCaseFailedException : Exception
{
    public InteropCaseFailedException()
    {
    }

    public InteropCaseFailedException(string message)
        : base(message)
    {
    }

    public InteropCaseFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
