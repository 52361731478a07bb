using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Transmission.Audit.Bundle;
using Transmission.Contracts.Mapping;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Log;
using V1 = Transmission.Contracts.V1;

namespace Transmission.Audit.Tests.Tampering;

/// <summary>One entry of <c>log/entries.bin</c>, editable.</summary>
internal sealed class EditableEntry(byte kind, byte[] bytes)
{
    public byte Kind { get; set; } = kind;

    public byte[] Bytes { get; set; } = bytes;
}

/// <summary>A submission entry as the tampering cases see it.</summary>
internal sealed record SubmissionView(int Index, V1.Envelope Envelope, V1.ResultProtocol Protocol, string EnvelopeSha256Hex);

/// <summary>
/// Loads a bundle folder's log (<c>entries.bin</c> and <c>entries.json</c>) for editing, like an attacker with write
/// access to the bundle (or to Central's storage) would, and writes it back. Nothing here trusts or checks anything.
/// </summary>
internal sealed class BundleEditor
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private BundleEditor(string folder, List<EditableEntry> entries, JsonArray facts)
    {
        Folder = folder;
        Entries = entries;
        Facts = facts;
    }

    public string Folder { get; }

    public List<EditableEntry> Entries { get; }

    public JsonArray Facts { get; }

    /// <summary>The log's origin (the checkpoint's first line).</summary>
    public string Origin => File.ReadAllText(PathOf(BundlePaths.Checkpoint)).Split('\n')[0];

    public ElectionDefinition Definition => ElectionDefinition.Parse(Read(BundlePaths.Election)).Definition!;

    public static BundleEditor Load(string folder)
    {
        var entries = new List<EditableEntry>();
        using (var stream = File.OpenRead(Path.Combine(folder, "log", "entries.bin")))
        {
            var reader = new EntriesFileReader(stream);
            while (reader.Read(out var raw) == EntryReadStatus.Entry)
            {
                entries.Add(new EditableEntry(raw!.KindByte, raw.Bytes));
            }
        }

        var facts = JsonNode.Parse(File.ReadAllBytes(Path.Combine(folder, "log", "entries.json")))!.AsArray();
        return new BundleEditor(folder, entries, facts);
    }

    public string PathOf(string bundlePath) => Path.Combine(Folder, bundlePath.Replace('/', Path.DirectorySeparatorChar));

    public byte[] Read(string bundlePath) => File.ReadAllBytes(PathOf(bundlePath));

    public void Write(string bundlePath, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(bundlePath))!);
        File.WriteAllBytes(PathOf(bundlePath), bytes);
    }

    public JsonNode ReadJson(string bundlePath) => JsonNode.Parse(Read(bundlePath))!;

    public void WriteJson(string bundlePath, JsonNode node) => Write(bundlePath, Encoding.UTF8.GetBytes(node.ToJsonString(Indented) + "\n"));

    /// <summary>Writes <c>entries.bin</c> only.</summary>
    public void SaveEntries()
    {
        using var stream = File.Create(PathOf(BundlePaths.Entries));
        var header = new byte[EntryFraming.HeaderSize];
        foreach (var entry in Entries)
        {
            header[0] = entry.Kind;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)entry.Bytes.Length);
            stream.Write(header);
            stream.Write(entry.Bytes);
        }
    }

    /// <summary>Writes <c>entries.json</c> only.</summary>
    public void SaveFacts() => WriteJson(BundlePaths.EntriesJson, Facts);

    public void Save()
    {
        SaveEntries();
        SaveFacts();
    }

    /// <summary>Makes <c>entries.json</c> agree with <c>entries.bin</c> for entry <paramref name="index"/> (leaf hash, envelope hash).</summary>
    public void Refresh(int index)
    {
        var facts = Facts[index]!.AsObject();
        facts["leafHash"] = Convert.ToHexStringLower(MerkleHash.LeafHash(Entries[index].Bytes));
        if (facts.ContainsKey("envelopeSha256"))
        {
            facts["envelopeSha256"] = Convert.ToHexStringLower(SHA256.HashData(Entries[index].Bytes));
        }
    }

    /// <summary>Makes every <c>index</c> of <c>entries.json</c> the element's position.</summary>
    public void Renumber()
    {
        for (var i = 0; i < Facts.Count; i++)
        {
            Facts[i]!["index"] = i;
        }
    }

    public void Insert(int at, BundleEntryKind kind, byte[] bytes, JsonObject facts)
    {
        Entries.Insert(at, new EditableEntry((byte)kind, bytes));
        Facts.Insert(at, facts);
        Renumber();
        Refresh(at);
    }

    public void Append(BundleEntryKind kind, byte[] bytes, JsonObject facts) => Insert(Entries.Count, kind, bytes, facts);

    public void Remove(int at)
    {
        Entries.RemoveAt(at);
        Facts.RemoveAt(at);
        Renumber();
    }

    public void Move(int from, int to)
    {
        var entry = Entries[from];
        var facts = Facts[from]!;
        Entries.RemoveAt(from);
        Facts.RemoveAt(from);
        Entries.Insert(to, entry);
        Facts.Insert(to, facts);
        Renumber();
    }

    /// <summary>
    /// Writes a checkpoint for the current entries signed with <paramref name="key"/> under the log's name: what
    /// Central itself (holding its key) could do to make a rewritten log look sealed.
    /// </summary>
    public void Reseal(ECDsa key)
    {
        var tree = new MerkleTree();
        foreach (var entry in Entries)
        {
            tree.Append(entry.Bytes);
        }

        var origin = Origin;
        Write(BundlePaths.Checkpoint, Encoding.UTF8.GetBytes(CheckpointNote.Sign(new Checkpoint(origin, tree.Size, tree.Root()), origin, key)));
    }

    public byte[] RootOf(long size)
    {
        var tree = new MerkleTree();
        foreach (var entry in Entries.Take((int)size))
        {
            tree.Append(entry.Bytes);
        }

        return tree.Root();
    }

    public IEnumerable<SubmissionView> Submissions()
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Kind == (byte)BundleEntryKind.Submission)
            {
                var envelope = V1.Envelope.Parser.ParseFrom(Entries[i].Bytes);
                yield return new SubmissionView(i, envelope, V1.ResultProtocol.Parser.ParseFrom(envelope.Payload), Convert.ToHexStringLower(SHA256.HashData(Entries[i].Bytes)));
            }
        }
    }

    public IEnumerable<(int Index, V1.LoggedDecision Decision)> Decisions() => Bodies(BundleEntryKind.Decision, LogEntryTypes.Decision, V1.LoggedDecision.Parser);

    public IEnumerable<(int Index, V1.LoggedRevocation Revocation)> Revocations() => Bodies(BundleEntryKind.Revocation, LogEntryTypes.Revocation, V1.LoggedRevocation.Parser);

    /// <summary>The facts object Central would write for a submission entry (hashes are filled in by <see cref="Insert"/>).</summary>
    public JsonObject SubmissionFacts(V1.ResultProtocol protocol, DateTimeOffset at, IReadOnlyList<string>? flags = null) => new()
    {
        ["index"] = 0,
        ["kind"] = "submission",
        ["leafHash"] = string.Empty,
        ["at"] = BundleFormat.FormatTime(at),
        ["envelopeSha256"] = string.Empty,
        ["stationCode"] = protocol.StationCode,
        ["revision"] = protocol.Revision,
        ["flags"] = new JsonArray([.. (flags ?? Transmission.Core.Protocol.ProtocolValidator.Validate(protocol.ToDomain().Value!, Definition).FlagCodes).Select(f => (JsonNode)f)]),
        ["verifiedCosignatures"] = 0,
        ["attachments"] = new JsonArray(),
    };

    public static JsonObject OtherFacts(BundleEntryKind kind, DateTimeOffset at) => new()
    {
        ["index"] = 0,
        ["kind"] = BundleEntryKinds.Name(kind),
        ["leafHash"] = string.Empty,
        ["at"] = BundleFormat.FormatTime(at),
    };

    public static byte[] DecisionEntry(V1.LoggedDecision decision) => Pae.Encode(LogEntryTypes.Decision, decision.ToByteArray());

    public static byte[] RevocationEntry(V1.LoggedRevocation revocation) => Pae.Encode(LogEntryTypes.Revocation, revocation.ToByteArray());

    private IEnumerable<(int, T)> Bodies<T>(BundleEntryKind kind, string type, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var prefix = Pae.Encode(type, []).Length - 2;
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Kind == (byte)kind)
            {
                var bytes = Entries[i].Bytes;
                // PAE(type, body): skip "DSSEv1 <len> <type> <len> ".
                var start = bytes.AsSpan(prefix).IndexOf((byte)' ') + prefix + 1;
                yield return (i, parser.ParseFrom(bytes.AsSpan(start)));
            }
        }
    }
}
