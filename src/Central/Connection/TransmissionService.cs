using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.V1;
using Transmission.Central.Access;
using Transmission.Central.Storage;
using Transmission.Central.Submission;
using Transmission.Grpc;

namespace Transmission.Central.Connection;

/// <summary>
/// The station-facing <c>transmission.v1.Transmission</c> service: Handshake, Submit (see
/// <see cref="SubmissionService"/>), GetReceipt and GetLogConsistency.
/// </summary>
public sealed class TransmissionService(TimeProvider timeProvider, CentralElection election, SubmissionService submissions, SubmissionQueries queries, LogProofs logProofs)
{
    private const int Sha256Length = 32;

    /// <summary>Tells the station who Central sees it as, and which election Central serves.</summary>
    public Task<HandshakeResponse> Handshake(HandshakeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerContext.Get(context);
        var definition = election.Definition;
        return Task.FromResult(new HandshakeResponse
        {
            CallerUri = caller.Uri,
            ElectionId = definition.ElectionId,
            Mode = (ElectionMode)(int)definition.Mode,
            DefinitionSha256 = ByteString.CopyFrom(definition.Sha256),
            ServerTime = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            ServerVersion = ServerVersion.Current,
        });
    }

    /// <summary>Receives signed protocols with their attachments; one response per protocol, a receipt only after its commit.</summary>
    public Task Submit(IAsyncStreamReader<SubmitRequest> requestStream, IServerStreamWriter<SubmitResponse> responseStream, ServerCallContext context) =>
        submissions.RunAsync(requestStream, responseStream, context);

    /// <summary>
    /// The stored receipt for one of the caller's own envelopes. An unknown envelope and another station's envelope
    /// both answer NOT_FOUND, so a station learns nothing about other stations' submissions.
    /// </summary>
    public async Task<GetReceiptResponse> GetReceipt(GetReceiptRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerContext.Get(context);
        if (request.EnvelopeSha256.Length != Sha256Length)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "envelope_sha256 must be the 32-byte SHA-256 of the envelope bytes."));
        }

        var receipt = await queries.FindReceiptAsync(request.EnvelopeSha256.ToByteArray(), election.Definition.ElectionId, caller.Id, context.CancellationToken);
        return receipt is null
            ? throw new RpcException(new Status(StatusCode.NotFound, "No receipt for this envelope."))
            : new GetReceiptResponse { Receipt = new Receipt { Envelope = ByteString.CopyFrom(receipt) } };
    }

    /// <summary>
    /// The latest signed checkpoint and the consistency proof from the tree of <c>from_size</c> entries to it, so a
    /// station can check that the log its receipt's checkpoint came from was only extended since.
    /// </summary>
    public async Task<GetLogConsistencyResponse> GetLogConsistency(GetLogConsistencyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.FromSize is 0 or > long.MaxValue)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "from_size must be the tree size of a checkpoint the station holds (1 or more)."));
        }

        var latest = await logProofs.LatestCheckpointAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "The log has no signed checkpoint yet."));
        var proof = Audit.AuditService.Checked(await logProofs.ConsistencyProofAsync((long)request.FromSize, latest.TreeSize, context.CancellationToken));
        var response = new GetLogConsistencyResponse { Checkpoint = ByteString.CopyFromUtf8(latest.Note) };
        response.Proof.AddRange(proof.Hashes.Select(ByteString.CopyFrom));
        return response;
    }
}
