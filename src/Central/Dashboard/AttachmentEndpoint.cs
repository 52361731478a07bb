using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Transmission.Central.Dashboard.Localization;
using Transmission.Central.Review;

namespace Transmission.Central.Dashboard;

/// <summary>
/// <c>GET /submissions/{envelope}/attachments/{index}</c>: the scan of a stored submission, bytes exactly as stored,
/// for the submission page's <c>&lt;img&gt;</c> or PDF link.
/// </summary>
/// <remarks>
/// The bytes come from a station, so the browser is told exactly what they are and never to guess
/// (<c>X-Content-Type-Options: nosniff</c>): only <c>image/png</c> and <c>image/jpeg</c> are served for display,
/// <c>application/pdf</c> as a download (a PDF viewer is more than an image decoder), and anything else
/// (the protocol rules never let another type in) as an opaque download.
/// </remarks>
public static class AttachmentEndpoint
{
    /// <summary>The route.</summary>
    public const string Pattern = "/submissions/{envelope}/attachments/{index:int}";

    /// <summary>Whether the dashboard shows attachments of this media type as an image.</summary>
    public static bool IsImage(string mediaType) => mediaType is "image/png" or "image/jpeg";

    /// <summary>
    /// The <c>Content-Type</c> and <c>Content-Disposition</c> an attachment is served with: images inline, PDF and
    /// anything unexpected as an attachment, a name made here (never the station's file name).
    /// </summary>
    public static (string ContentType, string ContentDisposition) Headers(string mediaType, string envelopeSha256Hex, int index)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentNullException.ThrowIfNull(envelopeSha256Hex);
        var stem = string.Create(CultureInfo.InvariantCulture, $"scan-{envelopeSha256Hex[..Math.Min(12, envelopeSha256Hex.Length)]}-{index}");
        return mediaType switch
        {
            "image/png" => (mediaType, $"inline; filename=\"{stem}.png\""),
            "image/jpeg" => (mediaType, $"inline; filename=\"{stem}.jpg\""),
            "application/pdf" => (mediaType, $"attachment; filename=\"{stem}.pdf\""),
            _ => ("application/octet-stream", $"attachment; filename=\"{stem}.bin\""),
        };
    }

    /// <summary>
    /// The endpoint: 404 for an unknown envelope or index, 500 when storage lost bytes it listed, each with a sentence
    /// in the verifier's language (<see cref="DashboardLanguage"/>).
    /// </summary>
    public static async Task<IResult> GetAsync(string envelope, int index, StoredSubmissions storedSubmissions, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storedSubmissions);
        ArgumentNullException.ThrowIfNull(context);
        if (!EnvelopeAddress.TryNormalize(envelope, out var hex) || index < 0)
        {
            return PlainText(DashboardStrings.AttachmentNotFound, StatusCodes.Status404NotFound);
        }

        var attachment = await storedSubmissions.FindAttachmentAsync(Convert.FromHexString(hex), index, cancellationToken);
        if (attachment is null)
        {
            return PlainText(DashboardText.Format(DashboardStrings.AttachmentIndexNotFound, index.ToString(CultureInfo.InvariantCulture)), StatusCodes.Status404NotFound);
        }

        var bytes = await storedSubmissions.ReadContentAsync(attachment, cancellationToken);
        if (bytes is null)
        {
            return PlainText(DashboardStrings.AttachmentUnreadable, StatusCodes.Status500InternalServerError);
        }

        var (contentType, disposition) = Headers(attachment.MediaType, hex, index);
        context.Response.Headers[HeaderNames.ContentDisposition] = disposition;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(bytes, contentType);
    }

    // The charset is said: without it a browser may guess one and garble ë, č and đ.
    private static IResult PlainText(string text, int statusCode) => Results.Text(text, "text/plain; charset=utf-8", statusCode: statusCode);
}
