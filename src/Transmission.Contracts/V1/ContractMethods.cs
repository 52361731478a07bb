using Google.Protobuf;
using Google.Protobuf.Reflection;
using Transmission.Grpc;

namespace Transmission.Contracts.V1;

/// <summary>The three services of the contract, taken from the generated file descriptors.</summary>
public static class ContractServices
{
    /// <summary><c>transmission.v1.Transmission</c>: for stations.</summary>
    public static ServiceDescriptor Transmission { get; } = TransmissionReflection.Descriptor.Services.Single();

    /// <summary><c>transmission.v1.Review</c>: for central verifiers.</summary>
    public static ServiceDescriptor Review { get; } = ReviewReflection.Descriptor.Services.Single();

    /// <summary><c>transmission.v1.Audit</c>: for auditors.</summary>
    public static ServiceDescriptor Audit { get; } = AuditReflection.Descriptor.Services.Single();

    /// <summary>
    /// Binds the method named <paramref name="name"/> of <paramref name="service"/>; throws at type
    /// initialisation if the contract has no such method or its types differ, so a drift between
    /// the C# names and the .proto files cannot go unnoticed.
    /// </summary>
    internal static Method<TRequest, TResponse> Bind<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        Method<TRequest, TResponse>.FromDescriptor(
            service.FindMethodByName(name) ?? throw new InvalidOperationException($"{service.FullName} has no method {name}."));
}

/// <summary>The methods of <c>transmission.v1.Transmission</c>.</summary>
public static class TransmissionMethods
{
    /// <summary>Handshake: who Central sees and which election it serves.</summary>
    public static readonly Method<HandshakeRequest, HandshakeResponse> Handshake =
        ContractServices.Bind<HandshakeRequest, HandshakeResponse>(ContractServices.Transmission, nameof(Handshake));

    /// <summary>Submit: signed protocols and attachments in, receipts or rejections out.</summary>
    public static readonly Method<SubmitRequest, SubmitResponse> Submit =
        ContractServices.Bind<SubmitRequest, SubmitResponse>(ContractServices.Transmission, nameof(Submit));

    /// <summary>GetReceipt: the receipt of a stored envelope.</summary>
    public static readonly Method<GetReceiptRequest, GetReceiptResponse> GetReceipt =
        ContractServices.Bind<GetReceiptRequest, GetReceiptResponse>(ContractServices.Transmission, nameof(GetReceipt));

    /// <summary>GetLogConsistency: the latest checkpoint and the consistency proof from a receipt's checkpoint.</summary>
    public static readonly Method<GetLogConsistencyRequest, GetLogConsistencyResponse> GetLogConsistency =
        ContractServices.Bind<GetLogConsistencyRequest, GetLogConsistencyResponse>(ContractServices.Transmission, nameof(GetLogConsistency));
}

/// <summary>The methods of <c>transmission.v1.Review</c>.</summary>
public static class ReviewMethods
{
    /// <summary>ListSubmissions.</summary>
    public static readonly Method<ListSubmissionsRequest, ListSubmissionsResponse> ListSubmissions =
        ContractServices.Bind<ListSubmissionsRequest, ListSubmissionsResponse>(ContractServices.Review, nameof(ListSubmissions));

    /// <summary>GetSubmission.</summary>
    public static readonly Method<GetSubmissionRequest, SubmissionDetail> GetSubmission =
        ContractServices.Bind<GetSubmissionRequest, SubmissionDetail>(ContractServices.Review, nameof(GetSubmission));

    /// <summary>GetAttachment.</summary>
    public static readonly Method<GetAttachmentRequest, AttachmentContent> GetAttachment =
        ContractServices.Bind<GetAttachmentRequest, AttachmentContent>(ContractServices.Review, nameof(GetAttachment));

    /// <summary>Decide.</summary>
    public static readonly Method<DecideRequest, DecideResponse> Decide =
        ContractServices.Bind<DecideRequest, DecideResponse>(ContractServices.Review, nameof(Decide));

    /// <summary>GetTotals.</summary>
    public static readonly Method<GetTotalsRequest, Totals> GetTotals =
        ContractServices.Bind<GetTotalsRequest, Totals>(ContractServices.Review, nameof(GetTotals));

    /// <summary>WatchTotals.</summary>
    public static readonly Method<GetTotalsRequest, Totals> WatchTotals =
        ContractServices.Bind<GetTotalsRequest, Totals>(ContractServices.Review, nameof(WatchTotals));

    /// <summary>Export.</summary>
    public static readonly Method<ExportRequest, ExportChunk> Export =
        ContractServices.Bind<ExportRequest, ExportChunk>(ContractServices.Review, nameof(Export));
}

/// <summary>The methods of <c>transmission.v1.Audit</c>.</summary>
public static class AuditMethods
{
    /// <summary>GetCheckpoint.</summary>
    public static readonly Method<GetCheckpointRequest, SignedCheckpoint> GetCheckpoint =
        ContractServices.Bind<GetCheckpointRequest, SignedCheckpoint>(ContractServices.Audit, nameof(GetCheckpoint));

    /// <summary>GetInclusionProof.</summary>
    public static readonly Method<GetInclusionProofRequest, InclusionProof> GetInclusionProof =
        ContractServices.Bind<GetInclusionProofRequest, InclusionProof>(ContractServices.Audit, nameof(GetInclusionProof));

    /// <summary>GetConsistencyProof.</summary>
    public static readonly Method<GetConsistencyProofRequest, ConsistencyProof> GetConsistencyProof =
        ContractServices.Bind<GetConsistencyProofRequest, ConsistencyProof>(ContractServices.Audit, nameof(GetConsistencyProof));

    /// <summary>ListSecurityEvents.</summary>
    public static readonly Method<ListSecurityEventsRequest, ListSecurityEventsResponse> ListSecurityEvents =
        ContractServices.Bind<ListSecurityEventsRequest, ListSecurityEventsResponse>(ContractServices.Audit, nameof(ListSecurityEvents));

    /// <summary>ExportBundle: everything an offline audit needs, file by file.</summary>
    public static readonly Method<ExportBundleRequest, BundleChunk> ExportBundle =
        ContractServices.Bind<ExportBundleRequest, BundleChunk>(ContractServices.Audit, nameof(ExportBundle));
}
