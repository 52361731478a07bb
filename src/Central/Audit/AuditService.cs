namespace Transmission.Central.Audit;

/// <summary>
/// The auditor-facing <c>transmission.v1.Audit</c> service. It has no methods yet: the
/// gRPC layer answers UNIMPLEMENTED for each contract method, after the role check.
/// </summary>
public sealed class AuditService;
