using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Transmission.Central.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Blobs",
                columns: table => new
                {
                    Sha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Bytes = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    MediaType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Blobs", x => x.Sha256);
                });

            migrationBuilder.CreateTable(
                name: "SecurityEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Peer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CallerUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecurityEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Submissions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ElectionId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StationCode = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    PayloadSha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    EnvelopeSha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Flags = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    VerifiedCosignatures = table.Column<int>(type: "INTEGER", nullable: false),
                    LogIndex = table.Column<long>(type: "INTEGER", nullable: true),
                    SignerCertificateSha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Submissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Submissions_Blobs_EnvelopeSha256",
                        column: x => x.EnvelopeSha256,
                        principalTable: "Blobs",
                        principalColumn: "Sha256",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LogEntries",
                columns: table => new
                {
                    Index = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EntrySha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    SubmissionId = table.Column<long>(type: "INTEGER", nullable: true),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LogEntries", x => x.Index);
                    table.ForeignKey(
                        name: "FK_LogEntries_Submissions_SubmissionId",
                        column: x => x.SubmissionId,
                        principalTable: "Submissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SubmissionAttachments",
                columns: table => new
                {
                    SubmissionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    MediaType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    BlobSha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubmissionAttachments", x => new { x.SubmissionId, x.Index });
                    table.ForeignKey(
                        name: "FK_SubmissionAttachments_Blobs_BlobSha256",
                        column: x => x.BlobSha256,
                        principalTable: "Blobs",
                        principalColumn: "Sha256",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SubmissionAttachments_Submissions_SubmissionId",
                        column: x => x.SubmissionId,
                        principalTable: "Submissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LogEntries_SubmissionId",
                table: "LogEntries",
                column: "SubmissionId");

            migrationBuilder.CreateIndex(
                name: "IX_SecurityEvents_At",
                table: "SecurityEvents",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SubmissionAttachments_BlobSha256",
                table: "SubmissionAttachments",
                column: "BlobSha256");

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_ElectionId_StationCode_Revision",
                table: "Submissions",
                columns: new[] { "ElectionId", "StationCode", "Revision" });

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_EnvelopeSha256",
                table: "Submissions",
                column: "EnvelopeSha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_LogIndex",
                table: "Submissions",
                column: "LogIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_PayloadSha256",
                table: "Submissions",
                column: "PayloadSha256");

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_ReceivedAt",
                table: "Submissions",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LogEntries");

            migrationBuilder.DropTable(
                name: "SecurityEvents");

            migrationBuilder.DropTable(
                name: "SubmissionAttachments");

            migrationBuilder.DropTable(
                name: "Submissions");

            migrationBuilder.DropTable(
                name: "Blobs");
        }
    }
}
