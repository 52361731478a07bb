using System.Globalization;
using System.Security.Cryptography;
using Transmission.Station.Outbox;

namespace Transmission.Station.Tests.Outbox;

public sealed class OutboxTests : IDisposable
{
    private readonly StationFolder _folder = new();
    private readonly TestClock _clock = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Lifecycle_DraftToReceipted_GoesThroughEveryState()
    {
        using var outbox = _folder.Open(_clock);

        var draft = outbox.SaveDraft(1, """{"ballots":{"received":500}}""");
        Assert.True(draft.IsSuccess, draft.ToString());
        Assert.Equal(OutboxState.Draft, draft.Entry.State);
        Assert.Null(draft.Entry.EnvelopeSha256);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var envelope = Signed.Envelope(1);
        var signed = outbox.RecordSigned(1, envelope, Signed.Payload(1), Signed.Scan());
        Assert.True(signed.IsSuccess, signed.ToString());
        Assert.False(signed.Unchanged);
        Assert.Equal(OutboxState.Signed, signed.Entry.State);
        Assert.Equal(draft.Entry.Id, signed.Entry.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(envelope)), signed.Entry.EnvelopeSha256);
        Assert.Equal(Convert.ToHexStringLower(Signed.Payload(1)), signed.Entry.PayloadSha256);
        Assert.Equal(1, signed.Entry.AttachmentCount);
        Assert.Equal(TestClock.Election, signed.Entry.CreatedAt);
        Assert.Equal(_clock.GetUtcNow(), signed.Entry.UpdatedAt);
        Assert.Empty(outbox.NextDue());

        var queued = outbox.MarkQueued(1);
        Assert.Equal(OutboxState.Queued, queued.Entry!.State);
        Assert.Equal(_clock.GetUtcNow(), queued.Entry.NextAttemptAt);

        var due = Assert.Single(outbox.NextDue());
        Assert.Equal(envelope, due.Envelope);
        var attachment = Assert.Single(due.Attachments);
        Assert.Equal(Signed.Scan()[0].Name, attachment.Name);
        Assert.Equal(Signed.Scan()[0].MediaType, attachment.MediaType);
        Assert.Equal(Signed.Scan()[0].Bytes, attachment.Bytes);

        var sent = outbox.MarkSent(1, TimeSpan.FromSeconds(30));
        Assert.Equal(OutboxState.Sent, sent.Entry!.State);
        Assert.Equal(1, sent.Entry.Attempts);

        var failed = outbox.RecordFailure(1, "UNAVAILABLE", _clock.GetUtcNow() + TimeSpan.FromSeconds(3));
        Assert.Equal(OutboxState.Queued, failed.Entry!.State);
        Assert.Equal("UNAVAILABLE", failed.Entry.LastError);

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Single(outbox.NextDue());
        Assert.Equal(2, outbox.MarkSent(1, TimeSpan.FromSeconds(30)).Entry!.Attempts);

        var receipt = "receipt-bytes"u8.ToArray();
        var receipted = outbox.RecordReceipt(SHA256.HashData(envelope), receipt);
        Assert.True(receipted.IsSuccess, receipted.ToString());
        Assert.Equal(OutboxState.Receipted, receipted.Entry.State);
        Assert.True(receipted.Entry.HasReceipt);
        Assert.Equal(_clock.GetUtcNow(), receipted.Entry.ReceiptVerifiedAt);
        Assert.Null(receipted.Entry.NextAttemptAt);
        Assert.Null(receipted.Entry.LastError);
        Assert.Equal(receipt, outbox.ReadReceipt(1));

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(outbox.NextDue());
        var entry = Assert.Single(outbox.Status());
        Assert.Equal(OutboxState.Receipted, entry.State);
        Assert.Equal(2, entry.Attempts);
        Assert.Equal(StationFolder.Station, entry.StationCode);
        Assert.Equal("""{"ballots":{"received":500}}""", outbox.ReadDraft(1)!.Json);
    }

    [Fact]
    public void Status_AfterReopen_ShowsEverythingRecorded()
    {
        using (var outbox = _folder.Open(_clock))
        {
            outbox.SaveDraft(1, "{}");
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan());
            outbox.MarkQueued(1);
            outbox.MarkSent(1, TimeSpan.FromSeconds(30));
            outbox.RecordFailure(1, "DEADLINE_EXCEEDED", _clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        using var reopened = _folder.Open(_clock);
        var entry = Assert.Single(reopened.Status());
        Assert.Equal(OutboxState.Queued, entry.State);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal("DEADLINE_EXCEEDED", entry.LastError);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(1), entry.NextAttemptAt);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Signed.Envelope(1), Assert.Single(reopened.NextDue()).Envelope);
    }

    [Fact]
    public void RecordSigned_SameEnvelopeTwice_IsIdempotent()
    {
        using var outbox = _folder.Open(_clock);
        var first = outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan());
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan());

        Assert.True(second.IsSuccess, second.ToString());
        Assert.True(second.Unchanged);
        Assert.Equal(first.Entry!, second.Entry);
        var entry = Assert.Single(outbox.Status());
        Assert.Equal(1, entry.AttachmentCount);
        Assert.Equal(TestClock.Election, entry.UpdatedAt);
    }

    [Fact]
    public void RecordSigned_DifferentEnvelopeSameRevision_RefusedAndFirstUntouched()
    {
        using var outbox = _folder.Open(_clock);
        var first = outbox.RecordSigned(1, Signed.Envelope(1, "a"), Signed.Payload(1), Signed.Scan());
        outbox.MarkQueued(1);
        var before = Assert.Single(outbox.Status());

        var second = outbox.RecordSigned(1, Signed.Envelope(1, "b"), Signed.Payload(1), Signed.Scan());

        Assert.False(second.IsSuccess);
        Assert.Equal(OutboxFailure.AlreadySigned, second.Failure);
        Assert.Equal("ALREADY_SIGNED", second.ReasonCode);
        Assert.Contains("revision 2", second.Detail, StringComparison.Ordinal);
        Assert.Equal(before, Assert.Single(outbox.Status()));
        var due = Assert.Single(outbox.NextDue());
        Assert.Equal(Signed.Envelope(1, "a"), due.Envelope);
        Assert.Equal(first.Entry!.EnvelopeSha256, due.Entry.EnvelopeSha256);
    }

    [Fact]
    public void RecordSigned_SameEnvelopeDifferentAttachments_RefusedAndFirstUntouched()
    {
        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan(content: "first scan"));
        outbox.MarkQueued(1);

        var second = outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan(content: "other scan"));

        Assert.Equal(OutboxFailure.AlreadySigned, second.Failure);
        Assert.Equal("first scan"u8.ToArray(), Assert.Single(Assert.Single(outbox.NextDue()).Attachments).Bytes);
    }

    [Fact]
    public void RecordSigned_HigherRevision_IsANewItem()
    {
        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), Signed.Scan());

        var correction = outbox.RecordSigned(2, Signed.Envelope(2), Signed.Payload(2), []);

        Assert.True(correction.IsSuccess, correction.ToString());
        Assert.Equal(2, correction.Entry.Revision);
        Assert.Equal(0, correction.Entry.AttachmentCount);
        Assert.Equal([1L, 2L], outbox.Status().Select(e => e.Revision));
        Assert.All(outbox.Status(), e => Assert.Equal(OutboxState.Signed, e.State));
    }

    [Fact]
    public void RecordSigned_RevisionBelowSignedOne_RefusedAsStale()
    {
        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(2, Signed.Envelope(2), Signed.Payload(2), []);

        var stale = outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);

        Assert.Equal(OutboxFailure.RevisionStale, stale.Failure);
        Assert.Equal("REVISION_STALE", stale.ReasonCode);
        Assert.Equal(2, Assert.Single(outbox.Status()).Revision);
    }

    [Theory]
    [InlineData("sq", "rishikimi 2 është nënshkruar tashmë; rishikimi 1 është nën të (një korrigjim kërkon rishikimin 3)", "rishikimi 3 nuk mund të vihet në radhë: është Draft")]
    [InlineData("sr-Latn", "revizija 2 je već potpisana; revizija 1 je ispod nje (ispravka zahteva reviziju 3)", "revizija 3 ne može da se stavi u red: stanje je Nacrt")]
    [InlineData("en", "revision 2 is already signed; revision 1 is below it (a correction needs revision 3)", "cannot queue revision 3: it is Draft")]
    public void Refusals_InChosenLanguage_TextTranslatedDetailAndCodeUnchanged(string language, string staleText, string wrongStateText)
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            using var outbox = _folder.Open(_clock);
            outbox.RecordSigned(2, Signed.Envelope(2), Signed.Payload(2), []);
            outbox.SaveDraft(3, "{\"v\":1}");

            var stale = outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
            var wrongState = outbox.MarkQueued(3);

            Assert.Equal("REVISION_STALE", stale.ReasonCode);
            Assert.Equal(staleText, stale.Text);
            Assert.Equal("revision 2 is already signed; revision 1 is below it (a correction needs revision 3)", stale.Detail);
            Assert.Equal("WRONG_STATE", wrongState.ReasonCode);
            Assert.Equal(wrongStateText, wrongState.Text);
            Assert.Equal("cannot queue revision 3: it is Draft", wrongState.Detail);
            Assert.Equal([2L, 3L], outbox.Status().Select(e => e.Revision));
            Assert.Equal(OutboxState.Draft, outbox.Status().Single(e => e.Revision == 3).State);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Fact]
    public void SaveDraft_AfterSigning_RefusedAndEnvelopeUntouched()
    {
        using var outbox = _folder.Open(_clock);
        outbox.SaveDraft(1, "{\"v\":1}");
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);

        var again = outbox.SaveDraft(1, "{\"v\":2}");

        Assert.Equal(OutboxFailure.AlreadySigned, again.Failure);
        Assert.Equal("{\"v\":1}", outbox.ReadDraft(1)!.Json);
        Assert.Equal(OutboxState.Signed, Assert.Single(outbox.Status()).State);
    }

    [Fact]
    public void SaveDraft_Twice_ReplacesTheDraftJson()
    {
        using var outbox = _folder.Open(_clock);
        outbox.SaveDraft(1, "{\"v\":1}");

        var second = outbox.SaveDraft(1, "{\"v\":2}");

        Assert.True(second.IsSuccess, second.ToString());
        Assert.Equal("{\"v\":2}", outbox.ReadDraft(1)!.Json);
        Assert.Single(outbox.Status());
    }

    [Fact]
    public void Transitions_FromTheWrongState_RefusedWithWrongState()
    {
        using var outbox = _folder.Open(_clock);
        outbox.SaveDraft(1, "{}");

        Assert.Equal(OutboxFailure.WrongState, outbox.MarkQueued(1).Failure);
        Assert.Equal(OutboxFailure.WrongState, outbox.MarkSent(1, TimeSpan.FromSeconds(30)).Failure);
        Assert.Equal(OutboxFailure.WrongState, outbox.RecordFailure(1, "x", null).Failure);

        var signed = outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        Assert.Equal(OutboxFailure.WrongState, outbox.MarkSent(1, TimeSpan.FromSeconds(30)).Failure);
        Assert.Equal(OutboxFailure.WrongState, outbox.RecordReceipt(Convert.FromHexString(signed.Entry!.EnvelopeSha256!), [1]).Failure);
        Assert.Equal(OutboxState.Signed, Assert.Single(outbox.Status()).State);
    }

    [Fact]
    public void Transitions_UnknownRevisionOrEnvelope_RefusedWithNotFound()
    {
        using var outbox = _folder.Open(_clock);

        Assert.Equal("NOT_FOUND", outbox.MarkQueued(7).ReasonCode);
        Assert.Equal("NOT_FOUND", outbox.MarkSent(7, TimeSpan.Zero).ReasonCode);
        Assert.Equal("NOT_FOUND", outbox.RecordReceipt(new byte[32], [1]).ReasonCode);
        Assert.Empty(outbox.Status());
    }

    [Fact]
    public void RecordReceipt_Again_SameIsIdempotentDifferentRefused()
    {
        using var outbox = _folder.Open(_clock);
        var sha = Convert.FromHexString(outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []).Entry!.EnvelopeSha256!);
        outbox.MarkQueued(1);
        outbox.MarkSent(1, TimeSpan.FromSeconds(30));
        outbox.RecordReceipt(sha, [1, 2, 3]);

        var same = outbox.RecordReceipt(sha, [1, 2, 3]);
        var different = outbox.RecordReceipt(sha, [9]);

        Assert.True(same.IsSuccess && same.Unchanged, same.ToString());
        Assert.Equal(OutboxFailure.AlreadyReceipted, different.Failure);
        Assert.Equal(new byte[] { 1, 2, 3 }, outbox.ReadReceipt(1));
        Assert.Equal(OutboxFailure.WrongState, outbox.MarkQueued(1).Failure);
        Assert.Equal(OutboxFailure.WrongState, outbox.MarkSent(1, TimeSpan.Zero).Failure);
    }

    [Fact]
    public void NextDue_BeforeNextAttemptTime_ReturnsNothingThenTheItem()
    {
        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        outbox.MarkQueued(1);
        outbox.MarkSent(1, TimeSpan.FromSeconds(30));
        outbox.RecordFailure(1, "UNAVAILABLE", _clock.GetUtcNow() + TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Empty(outbox.NextDue());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Assert.Single(outbox.NextDue()).Entry.Revision);
    }

    [Fact]
    public void NextDue_SeveralItems_LowestRevisionFirst()
    {
        using var outbox = _folder.Open(_clock);
        foreach (var revision in new long[] { 1, 2, 3 })
        {
            outbox.RecordSigned(revision, Signed.Envelope(revision), Signed.Payload(revision), []);
        }

        // Queued newest first, and revision 1 even due later: still sent in revision order once due.
        outbox.MarkQueued(3);
        _clock.Advance(TimeSpan.FromSeconds(1));
        outbox.MarkQueued(2);
        _clock.Advance(TimeSpan.FromSeconds(1));
        outbox.MarkQueued(1);

        Assert.Equal([1L, 2L, 3L], outbox.NextDue().Select(d => d.Entry.Revision));
        Assert.Equal([1L, 2L], outbox.NextDue(limit: 2).Select(d => d.Entry.Revision));
    }

    [Fact]
    public void NextDue_SentWithoutOutcome_DueAgainAfterResendTime()
    {
        // A crash between MarkSent and the outcome leaves the item Sent; it must not be stuck there.
        using (var outbox = _folder.Open(_clock))
        {
            outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
            outbox.MarkQueued(1);
            outbox.MarkSent(1, TimeSpan.FromSeconds(30));
            Assert.Empty(outbox.NextDue());
        }

        _clock.Advance(TimeSpan.FromSeconds(30));
        using var restarted = _folder.Open(_clock);
        var due = Assert.Single(restarted.NextDue());
        Assert.Equal(OutboxState.Sent, due.Entry.State);
        Assert.Equal(2, restarted.MarkSent(1, TimeSpan.FromSeconds(30)).Entry!.Attempts);
    }

    [Fact]
    public void RecordFailure_WithoutNextAttempt_StopsUntilQueuedAgain()
    {
        using var outbox = _folder.Open(_clock);
        outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), []);
        outbox.MarkQueued(1);
        outbox.MarkSent(1, TimeSpan.FromSeconds(30));

        var stopped = outbox.RecordFailure(1, "PERMISSION_DENIED: contact the election office", nextAttemptAt: null);

        Assert.True(stopped.Entry!.IsStopped);
        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Empty(outbox.NextDue());

        var requeued = outbox.MarkQueued(1);
        Assert.False(requeued.Entry!.IsStopped);
        Assert.Single(outbox.NextDue());
    }

    [Fact]
    public void RecordSigned_MalformedArguments_ThrowAndStoreNothing()
    {
        using var outbox = _folder.Open(_clock);
        var scan = Signed.Scan()[0];

        Assert.Throws<ArgumentOutOfRangeException>(() => outbox.RecordSigned(0, Signed.Envelope(0), Signed.Payload(0), []));
        Assert.Throws<ArgumentException>(() => outbox.RecordSigned(1, [], Signed.Payload(1), []));
        Assert.Throws<ArgumentException>(() => outbox.RecordSigned(1, Signed.Envelope(1), new byte[31], []));
        Assert.Throws<ArgumentException>(() => outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), [scan, scan]));
        Assert.Throws<ArgumentException>(() => outbox.RecordSigned(1, Signed.Envelope(1), Signed.Payload(1), [scan with { MediaType = "" }]));
        Assert.Empty(outbox.Status());
    }
}
