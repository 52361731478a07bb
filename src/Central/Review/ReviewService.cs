namespace Transmission.Central.Review;

/// <summary>
/// The verifier-facing <c>transmission.v1.Review</c> service. It has no methods yet: the
/// gRPC layer answers UNIMPLEMENTED for each contract method, after the role check.
/// </summary>
public sealed class ReviewService;
