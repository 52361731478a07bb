using Transmission.Cli;

namespace Transmission.Verifier;

/// <summary>The exit codes the verifier's commands use (a subset of <see cref="ExitCodes"/>), for their help text.</summary>
internal static class ExitCodeHelp
{
    public static string Text => Localization.VerifierText.ExitCodesHelp;
}
