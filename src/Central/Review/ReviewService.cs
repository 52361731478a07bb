using System.Globalization;
using System.IO.Pipelines;
using Google.Protobuf;
using Transmission.Central.Access;
using Transmission.Central.Exports;
using Transmission.Central.Storage;
using Transmission.Contracts.V1;
using ReviewRefusals = Transmission.Core.Review.ReviewRefusals;
using ReviewState = Transmission.Contracts.V1.ReviewState;
using Transmission.Grpc;
using ContractExportFormat = Transmission.Contracts.V1.ExportFormat;
using ContractExportKind = Transmission.Contracts.V1.ExportKind;
using CoreReviewState = Transmission.Core.Review.ReviewState;

namespace Transmission.Central.Review;

/// <summary>
/// The verifier-facing <c>transmission.v1.Review</c> service (verifier certificates only; the role check runs before
/// any method). Reads come from the <see cref="ReviewBoard"/>, brought up to date first; decisions go through the
/// <see cref="SubmissionStore"/>'s single writer, which checks them against the stored state and appends them to the
/// log.
/// </summary>
public sealed class ReviewService(ReviewBoard board, DecisionDesk desk, StoredSubmissions storedSubmissions, TimeProvider timeProvider)
{
    /// <summary>Rows per page when the caller does not say: 50.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page: 500 rows.</summary>
    public const int MaxPageSize = 500;

    private const int Sha256Length = 32;
    private const int ExportChunkSize = 64 * 1024;

    /// <summary>The stations with their latest submission, filtered and paged.</summary>
    public async Task<ListSubmissionsResponse> ListSubmissions(ListSubmissionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : (int)Math.Min(request.PageSize, int.MaxValue);
        if (pageSize > MaxPageSize)
        {
            throw Invalid($"page_size {request.PageSize} is above the limit of {MaxPageSize}.");
        }

        var offset = 0;
        if (request.PageToken.Length > 0 && (!int.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            throw Invalid("page_token is not one this service gave out.");
        }

        var filter = new BoardFilter(
            request.State == ReviewState.Unspecified ? null : ReviewContract.ToState(request.State) ?? throw Invalid($"state {request.State} is not a review state."),
            request.Municipality.Length == 0 ? null : KnownMunicipality(request.Municipality),
            request.Flag.Length == 0 ? null : KnownFlag(request.Flag),
            request.Reporting switch
            {
                ReportingFilter.Any => null,
                ReportingFilter.Reported => true,
                ReportingFilter.NotReported => false,
                _ => throw Invalid($"reporting {request.Reporting} is not a reporting filter."),
            });

        await board.RefreshAsync(context.CancellationToken);
        var page = board.List(filter, offset, pageSize);
        var response = new ListSubmissionsResponse
        {
            TotalMatching = checked((uint)page.TotalMatching),
            NextPageToken = page.NextOffset?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        };
        response.Submissions.Add(page.Stations.Select(ReviewContract.Summary));
        return response;
    }

    /// <summary>One submission in full: numbers, verification facts, flags, attachments, every revision and decision.</summary>
    public async Task<SubmissionDetail> GetSubmission(GetSubmissionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await board.RefreshAsync(context.CancellationToken);
        StationView station;
        RevisionView revision;
        if (request.EnvelopeSha256.Length > 0)
        {
            var found = board.FindByEnvelope(EnvelopeHex(request.EnvelopeSha256)) ?? throw NotFound("No submission has this envelope SHA-256.");
            (station, revision) = found;
        }
        else if (request.StationCode.Length > 0)
        {
            station = board.GetStation(request.StationCode) ?? throw NotFound($"Station {request.StationCode} is not in the election's registry.");
            revision = station.Latest ?? throw NotFound($"Station {request.StationCode} has not reported.");
        }
        else
        {
            throw Invalid("Give envelope_sha256 or station_code.");
        }

        // The board only shows what it read from storage; losing it afterwards is broken infrastructure.
        var stored = await storedSubmissions.ReadAsync(revision, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The stored submission could not be read back."));
        revision = board.Complete(station, revision, stored.Protocol);
        var detail = new SubmissionDetail
        {
            Summary = ReviewContract.Summary(station),
            Envelope = ByteString.CopyFrom(stored.EnvelopeBytes),
            Protocol = ReviewContract.ProtocolOf(stored.Protocol),
            Verification = ReviewContract.ToContract(stored.Facts),
            Explanation = stored.Protocol.Explanation,
        };
        detail.Flags.Add(revision.Flags.Select(ReviewContract.ToContract));
        detail.Attachments.Add(stored.Attachments.Select(ReviewContract.ToContract));
        detail.Revisions.Add(station.Revisions.Select(ReviewContract.ToContract));
        return detail;
    }

    /// <summary>The bytes of one attachment exactly as stored.</summary>
    public async Task<AttachmentContent> GetAttachment(GetAttachmentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var sha = Convert.FromHexString(EnvelopeHex(request.EnvelopeSha256));
        var attachment = request.Index <= int.MaxValue
            ? await storedSubmissions.FindAttachmentAsync(sha, (int)request.Index, context.CancellationToken)
            : null;
        if (attachment is null)
        {
            throw NotFound($"No attachment {request.Index} for this envelope.");
        }

        var bytes = await storedSubmissions.ReadContentAsync(attachment, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The stored attachment could not be read back."));
        return new AttachmentContent
        {
            Name = attachment.Name,
            MediaType = attachment.MediaType,
            Sha256 = ByteString.CopyFrom(attachment.Sha256),
            Content = ByteString.CopyFrom(bytes),
        };
    }

    /// <summary>Records a verifier's decision on the exact envelope named, with its reason, and appends it to the log.</summary>
    public async Task<DecideResponse> Decide(DecideRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerContext.Get(context);
        var hex = EnvelopeHex(request.EnvelopeSha256);
        var outcome = await desk.DecideAsync(hex, DecisionEntries.ToState(request.Decision), request.Reason, caller.Uri, context.CancellationToken);
        return outcome switch
        {
            DecisionStored stored => new DecideResponse
            {
                State = ReviewContract.ToContract(stored.State),
                LogIndex = checked((ulong)stored.LogIndex),
                DecidedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(stored.DecidedAt),
            },
            DecisionRefused refused => throw new RpcException(new Status(RefusalStatus(refused.Refusal), DecisionDesk.Explain(refused))),
            DecisionSubmissionNotFound => throw NotFound("No submission has this envelope SHA-256."),
            DecisionStorageUnavailable unavailable => throw new RpcException(new Status(StatusCode.Unavailable, $"Storage is unavailable ({unavailable.Reason}); nothing was recorded. Try again.")),
            _ => throw new InvalidOperationException($"Unexpected decision outcome {outcome}."),
        };
    }

    /// <summary>Provisional and certified totals, overall or for one municipality.</summary>
    public async Task<Totals> GetTotals(GetTotalsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var municipality = request.Municipality.Length == 0 ? null : KnownMunicipality(request.Municipality);
        await board.RefreshAsync(context.CancellationToken);
        return CurrentTotals(municipality);
    }

    /// <summary>The totals now, then again whenever a submission or decision changes them (at most every <see cref="ReviewOptions.WatchInterval"/>).</summary>
    public async Task WatchTotals(GetTotalsRequest request, IServerStreamWriter<Totals> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var municipality = request.Municipality.Length == 0 ? null : KnownMunicipality(request.Municipality);
        var token = context.CancellationToken;
        await board.RefreshAsync(token);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var totals = CurrentTotals(municipality);
                await responseStream.WriteAsync(totals, token);
                await Task.Delay(board.Options.WatchInterval, timeProvider, token);
                await board.WaitForChangeAsync(checked((long)totals.EventsApplied), token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The verifier stopped watching (or the deadline passed): a normal end.
        }
    }

    /// <summary>Open data: station-level results or totals, CSV or JSON, in chunks.</summary>
    public async Task Export(ExportRequest request, IServerStreamWriter<ExportChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var kind = request.Kind switch
        {
            ContractExportKind.Stations => Exports.ExportKind.Stations,
            ContractExportKind.Totals => Exports.ExportKind.Totals,
            _ => throw Invalid("kind must be STATIONS or TOTALS."),
        };
        var format = request.Format switch
        {
            ContractExportFormat.Csv => Exports.ExportFormat.Csv,
            ContractExportFormat.Json => Exports.ExportFormat.Json,
            _ => throw Invalid("format must be CSV or JSON."),
        };
        var token = context.CancellationToken;
        await board.RefreshAsync(token);
        var data = BoardExport.Capture(board);
        var pipe = new Pipe();
        var writing = WriteExportAsync(pipe.Writer, data, kind, format, token);
        var first = true;
        var buffer = new byte[ExportChunkSize];
        await using (var reader = pipe.Reader.AsStream())
        {
            while (true)
            {
                var filled = 0;
                int read;
                while (filled < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(filled), token)) > 0)
                {
                    filled += read;
                }

                if (filled == 0 && !first)
                {
                    break;
                }

                var chunk = new ExportChunk { Data = ByteString.CopyFrom(buffer, 0, filled) };
                if (first)
                {
                    chunk.FileName = ResultsExport.FileName(kind, format);
                    first = false;
                }

                await responseStream.WriteAsync(chunk, token);
                if (filled < buffer.Length)
                {
                    break;
                }
            }
        }

        await writing;
    }

    private static async Task WriteExportAsync(PipeWriter writer, ExportData data, Exports.ExportKind kind, Exports.ExportFormat format, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = writer.AsStream();
            await ResultsExport.WriteAsync(data, kind, format, stream, cancellationToken);
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
            throw;
        }
    }

    private Totals CurrentTotals(string? municipality)
    {
        var events = board.EventsApplied;
        var context = new BoardContext(board.Definition.Mode, code => board.Definition.Municipalities.First(m => m.Code == code).Name.Default);
        return ReviewContract.Totals(board.Totals(), board.Queue(), context, municipality, timeProvider.GetUtcNow(), events);
    }

    private string KnownMunicipality(string code) =>
        BoardFilter.MunicipalityProblem(board.Definition, code) is { } problem ? throw Invalid(problem) : code;

    private static string KnownFlag(string code) =>
        BoardFilter.FlagProblem(code) is { } problem ? throw Invalid(problem) : code;

    private static string EnvelopeHex(ByteString sha) =>
        sha.Length == Sha256Length ? Convert.ToHexStringLower(sha.Span) : throw Invalid("envelope_sha256 must be the 32-byte SHA-256 of the envelope bytes.");

    private static StatusCode RefusalStatus(string refusal) => refusal switch
    {
        ReviewRefusals.AlreadyDecided or ReviewRefusals.Superseded => StatusCode.FailedPrecondition,
        _ => StatusCode.InvalidArgument,
    };

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));
}
