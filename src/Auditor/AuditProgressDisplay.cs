using System.Globalization;
using Spectre.Console;
using Transmission.Audit.Verification;

namespace Transmission.Auditor;

/// <summary>
/// Shows a verification's progress on stderr: a Spectre.Console progress bar when stderr is this process's terminal,
/// otherwise plain lines (a phase when it starts, the log at each quarter) that logs and CI keep readably.
/// </summary>
internal static class AuditProgressDisplay
{
    public static async Task<AuditReport> RunAsync(TextWriter error, Func<IProgress<AuditProgress>, Task<AuditReport>> run)
    {
        if (!ReferenceEquals(error, Console.Error) || Console.IsErrorRedirected)
        {
            return await run(new PlainLines(error));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Localization.AuditText.ProgressReading, maxValue: 1);
                var report = await run(new Bar(task));
                task.Value = task.MaxValue;
                return report;
            });
    }

    /// <summary>The phase in the chosen language.</summary>
    internal static string Phase(AuditProgress value) => value.Kind switch
    {
        AuditPhase.Reading => Localization.AuditText.Phase_Reading,
        AuditPhase.VerifyingLog => Localization.AuditText.Phase_VerifyingLog,
        AuditPhase.Checking => Localization.AuditText.Phase_Checking,
        _ => value.Phase,
    };

    private sealed class Bar(ProgressTask task) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value)
        {
            task.Description = Markup.Escape(Phase(value));
            if (value.Total > 0)
            {
                task.MaxValue = value.Total;
                task.Value = value.Done;
            }
        }
    }

    private sealed class PlainLines(TextWriter error) : IProgress<AuditProgress>
    {
        private string? _phase;
        private long _quarter;

        public void Report(AuditProgress value)
        {
            if (value.Phase != _phase)
            {
                _phase = value.Phase;
                _quarter = 0;
                if (value.Total == 0)
                {
                    error.WriteLine($"transmission-audit: {Phase(value)}");
                }
            }

            if (value.Total > 0)
            {
                var quarter = value.Done * 4 / value.Total;
                if (quarter > _quarter || (_quarter == 0 && quarter == 0 && value.Done > 0))
                {
                    _quarter = Math.Max(quarter, 1);
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transmission-audit: {Phase(value)}: {value.Done * 100 / value.Total} %"));
                }
            }
        }
    }
}
