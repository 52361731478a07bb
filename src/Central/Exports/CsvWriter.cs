using System.Buffers;
using System.Globalization;
using System.Text;

namespace Transmission.Central.Exports;

/// <summary>
/// Writes CSV rows (RFC 4180) as UTF-8: fields separated by <c>,</c>, rows ended by <c>\n</c>. A text field is quoted
/// when it contains <c>,</c> <c>"</c> CR or LF, with inner quotes doubled (RFC 4180 §2 rules 6–7); a text field
/// starting with <c>=</c> <c>+</c> <c>-</c> <c>@</c> tab or CR is prefixed with <c>'</c> so that a spreadsheet shows it
/// as text instead of running it as a formula (OWASP "CSV Injection").
/// </summary>
/// <remarks>
/// RFC 4180 asks for CRLF line ends; the brief for these files is <c>\n</c>, which every CSV reader accepts. Line
/// breaks inside a quoted field are kept exactly as they are.
/// </remarks>
internal sealed class CsvWriter(IBufferWriter<byte> output)
{
    private const int MaxInt64Length = 20; // "-9223372036854775808"

    private bool _inRow;

    /// <summary>Writes a text field, quoted and prefixed as needed.</summary>
    public void Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Separator();
        WriteUtf8(Escape(value));
    }

    /// <summary>Writes an integer in the invariant culture, without thousands separators.</summary>
    public void Number(long value)
    {
        Separator();
        var span = output.GetSpan(MaxInt64Length);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A 64-bit integer did not fit in 20 bytes.");
        }

        output.Advance(written);
    }

    /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
    public void Boolean(bool value)
    {
        Separator();
        output.Write(value ? "true"u8 : "false"u8);
    }

    /// <summary>Writes an empty field (a value that is not there, e.g. an unsigned protocol's signing time).</summary>
    public void Empty() => Separator();

    /// <summary>Writes one or more fields that another <see cref="CsvWriter"/> already wrote (see <see cref="Fragment"/>).</summary>
    public void Fields(ReadOnlySpan<byte> fields)
    {
        Separator();
        output.Write(fields);
    }

    /// <summary>Ends the row with <c>\n</c>.</summary>
    public void EndRow()
    {
        output.Write("\n"u8);
        _inRow = false;
    }

    /// <summary>The bytes of the fields <paramref name="write"/> writes, to repeat them in many rows with <see cref="Fields(ReadOnlySpan{byte})"/>.</summary>
    public static byte[] Fragment(ArrayBufferWriter<byte> scratch, Action<CsvWriter> write)
    {
        scratch.ResetWrittenCount();
        write(new CsvWriter(scratch));
        return scratch.WrittenSpan.ToArray();
    }

    /// <summary>The field as written: prefixed with <c>'</c> if it could start a formula, then quoted if needed.</summary>
    internal static string Escape(string value)
    {
        var prefixed = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var text = prefixed ? "'" + value : value;
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private void Separator()
    {
        if (_inRow)
        {
            output.Write(","u8);
        }

        _inRow = true;
    }

    private void WriteUtf8(string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
