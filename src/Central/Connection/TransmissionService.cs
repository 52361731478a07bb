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
/// <see cref="SubmissionService"/>) and GetReceipt.
/// </summary>
public sealed class TransmissionService(TimeProvider timeProvider, CentralElection election, SubmissionService submissions, SubmissionQueries queries)
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
}
