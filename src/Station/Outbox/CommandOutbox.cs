using Transmission.Cli;

namespace Transmission.Station.Outbox;

/// <summary>Opens a station folder's outbox for a command: every reason it cannot be used becomes one line and exit 2.</summary>
internal static class CommandOutbox
{
    /// <summary>Opens (or creates) the outbox of <paramref name="stationCode"/> in <paramref name="stationDirectory"/>.</summary>
    public static Outbox Open(string stationDirectory, string stationCode, TimeProvider time)
    {
        try
        {
            return Outbox.Open(stationDirectory, stationCode, time);
        }
        catch (OutboxUnusableException e)
        {
            throw new CommandFailureException(ExitCodes.BadInput, $"{e.Message} [{e.ReasonCode}]");
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CommandFailureException(ExitCodes.BadInput, e.Message);
        }
    }
}
