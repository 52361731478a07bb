using Transmission.Grpc;
using Transmission.Station.Outbox;
using Transmission.Testing;

namespace Transmission.Station.Tests.Outbox;

/// <summary>
/// An outbox item's last failure is kept language-neutral and worded when shown: a send run in one language and a
/// <c>status</c> in another each speak their own.
/// </summary>
public sealed class FailureNoteTests
{
    public static TheoryData<string> Stored() => new()
    {
        "interrupted",
        "splitting",
        "retrying UNAVAILABLE: Error connecting to subchannel.",
        "retrying UNKNOWN",
        "stopped PERMISSION_DENIED: not a station certificate",
        "too-large MESSAGE_TOO_LARGE: 5000000 4194304",
        "receipt-invalid RECEIPT_STATION_MISMATCH: the receipt is for ST-0002",
        "refused REVISION_CONFLICT: Station ST-0001 already has a different protocol: accepted",
    };

    [Theory]
    [MemberData(nameof(Stored))]
    public void Parse_StoredForm_ReadsBackTheSameForm(string stored)
    {
        var note = FailureNote.Parse(stored);

        Assert.NotNull(note);
        Assert.Equal(stored, note.ToStored());
    }

    [Fact]
    public void ToStored_EveryKind_ParsesBackEqual()
    {
        FailureNote[] notes =
        [
            FailureNote.Interrupted,
            FailureNote.Splitting,
            FailureNote.CallFailed(true, StatusCode.Unavailable, "connection refused"),
            FailureNote.CallFailed(false, StatusCode.InvalidArgument, null),
            FailureNote.TooLargeToSend(5_000_000, 4_194_304),
            FailureNote.ReceiptDidNotVerify("SIGNATURE_INVALID", "bad"),
            FailureNote.RefusedByCentral("SIGNATURE_INVALID", "two\nlines"),
        ];

        Assert.Equal(Enum.GetValues<FailureKind>().Order(), notes.Select(n => n.Kind).Order());
        Assert.All(notes, n => Assert.Equal(n, FailureNote.Parse(n.ToStored())));
        Assert.Equal("refused SIGNATURE_INVALID: two lines", notes[^1].ToStored());
    }

    [Theory]
    [InlineData("Central refused it: SIGNATURE_INVALID: The envelope does not verify.")]
    [InlineData("UNAVAILABLE")]
    [InlineData("refused")]
    [InlineData("refused lower_case: x")]
    [InlineData("retrying : x")]
    public void Describe_OlderOrForeignText_ShownAsItIs(string stored)
    {
        Assert.Null(FailureNote.Parse(stored));
        Assert.Equal(stored, FailureNote.Describe(stored));
    }

    [Fact]
    public void Describe_Nothing_Empty()
    {
        Assert.Equal(string.Empty, FailureNote.Describe(null));
    }

    [Theory]
    [InlineData("en", "the signed envelope is 5000000 bytes, more than Central accepts in one message (4194304)")]
    [InlineData("sq", "zarfi i nënshkruar ka 5 000 000 bajt, më shumë se sa pranon Qendra në një mesazh (4 194 304)")]
    [InlineData("sr-Latn", "potpisana koverta ima 5.000.000 bajtova, više nego što Centrala prima u jednoj poruci (4.194.304)")]
    public void ToText_TooLarge_NumbersTheChosenLanguagesWay(string language, string expected)
    {
        var text = UiCulture.Run(language, () => FailureNote.Describe("too-large MESSAGE_TOO_LARGE: 5000000 4194304"));

        Assert.Equal(expected, Normalize(text));
    }

    [Theory]
    [InlineData("en", "Central did not take it this time: UNAVAILABLE (connection refused); trying again automatically")]
    [InlineData("sq", "Qendra nuk e mori këtë herë: UNAVAILABLE (connection refused); provohet përsëri automatikisht")]
    [InlineData("sr-Latn", "Centrala ga ovaj put nije primila: UNAVAILABLE (connection refused); automatski se pokušava ponovo")]
    public void ToText_Retrying_InTheChosenLanguage(string language, string expected)
    {
        Assert.Equal(expected, UiCulture.Run(language, () => FailureNote.Describe("retrying UNAVAILABLE: connection refused")));
    }

    [Theory]
    [InlineData("en", "Central refused the protocol as invalid: INVALID_ARGUMENT. It will not be sent again; check it and sign a correction.")]
    [InlineData("sq", "Qendra e refuzoi procesverbalin si të pavlefshëm: INVALID_ARGUMENT. Nuk do të dërgohet përsëri; kontrollojeni dhe nënshkruani një korrigjim.")]
    [InlineData("sr-Latn", "Centrala je odbila zapisnik kao neispravan: INVALID_ARGUMENT. Neće biti ponovo poslat; proverite ga i potpišite ispravku.")]
    public void ToText_Stopped_InTheChosenLanguage(string language, string expected)
    {
        Assert.Equal(expected, UiCulture.Run(language, () => FailureNote.Describe("stopped INVALID_ARGUMENT")));
    }

    [Theory]
    [InlineData("en", "sending was interrupted")]
    [InlineData("sq", "dërgimi u ndërpre")]
    [InlineData("sr-Latn", "slanje je prekinuto")]
    public void ToText_Interrupted_InTheChosenLanguage(string language, string expected)
    {
        Assert.Equal(expected, UiCulture.Run(language, () => FailureNote.Describe("interrupted")));
    }

    /// <summary>Group separators as plain spaces: ICU writes Albanian thousands with a no-break space.</summary>
    private static string Normalize(string text) => text.Replace('\u00a0', ' ').Replace('\u202f', ' ');
}
