using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Transmission.Central.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ReviewDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReviewDecisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SubmissionId = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    VerifierUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LogIndex = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryBytes = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewDecisions_Submissions_SubmissionId",
                        column: x => x.SubmissionId,
                        principalTable: "Submissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewDecisions_LogIndex",
                table: "ReviewDecisions",
                column: "LogIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReviewDecisions_SubmissionId",
                table: "ReviewDecisions",
                column: "SubmissionId",
                unique: true);

            // Decisions and log entries are append-only (design §6 "never editable afterwards"): the database
            // itself refuses to change or remove one, whatever code runs against it.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("CREATE TRIGGER ReviewDecisions_NoUpdate BEFORE UPDATE ON ReviewDecisions BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER ReviewDecisions_NoDelete BEFORE DELETE ON ReviewDecisions BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER LogEntries_NoUpdate BEFORE UPDATE ON LogEntries BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER LogEntries_NoDelete BEFORE DELETE ON LogEntries BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS ReviewDecisions_NoUpdate;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS ReviewDecisions_NoDelete;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS LogEntries_NoUpdate;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS LogEntries_NoDelete;");
            }
            migrationBuilder.DropTable(
                name: "ReviewDecisions");
        }
    }
}
