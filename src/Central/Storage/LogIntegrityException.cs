namespace Transmission.Central.Storage;

/// <summary>
/// The log's tree would not extend the last signed checkpoint (or a stored node is missing): the writer refuses to
/// commit the batch rather than sign two inconsistent checkpoints. This is never expected; it means the database
/// was altered outside Central.
/// </summary>
public sealed class LogIntegrityException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public LogIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LogIntegrityException()
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public LogIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
