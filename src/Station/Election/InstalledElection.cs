using Transmission.Cli;
using Transmission.Cli.Localization;
using Transmission.Core.Election;

namespace Transmission.Station.Election;

/// <summary>
/// The election definition installed in a station folder as <c>election.json</c> (the exact bytes the election
/// office published, so its SHA-256 is the definition's identity), and the mode banner every command prints.
/// </summary>
internal static class InstalledElection
{
    /// <summary>The file name in the station folder.</summary>
    public const string FileName = "election.json";

    /// <summary>The path of the installed definition in <paramref name="stationDirectory"/>.</summary>
    public static string PathIn(string stationDirectory) => Path.Combine(stationDirectory, FileName);

    /// <summary>Reads and parses the installed definition; a missing or unreadable one is exit 2 with one line.</summary>
    public static ElectionDefinition Load(string stationDirectory)
    {
        var path = PathIn(stationDirectory);
        if (!File.Exists(path))
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(Localization.StationText.NoElectionInstalled, stationDirectory));
        }

        var parsed = ElectionDefinition.Parse(ReadBytes(path, Localization.StationText.WhatElectionDefinition));
        return parsed.IsSuccess
            ? parsed.Definition
            : throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(Localization.StationText.InstalledElectionInvalid, path, parsed.Errors[0]));
    }

    /// <summary>
    /// The first line of every command's output, so rehearsal data can never be taken for real results:
    /// <c>TEST ELECTION (rehearsal) ks-2025-assembly</c> or <c>LIVE ELECTION ks-2025-assembly</c>.
    /// </summary>
    public static string Banner(ElectionDefinition definition) => definition.Mode switch
    {
        ElectionMode.Live => Localized.Format(Localization.StationText.BannerLive, definition.ElectionId),
        ElectionMode.Test => Localized.Format(Localization.StationText.BannerTest, definition.ElectionId),
        _ => Localized.Format(Localization.StationText.BannerUnknown, definition.ElectionId),
    };

    /// <summary>Reads a file's bytes; a missing or unreadable file is exit 2 with one line naming <paramref name="what"/>.</summary>
    public static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Localized.Format(CliText.CannotRead, what, path, e.Message));
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (temporary file, fsync, rename over).</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None }))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
