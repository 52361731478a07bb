using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Transmission.Central.Storage.Migrations
{
    /// <inheritdoc />
    public partial class RevocationLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RevocationLists",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Der = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ThisUpdate = table.Column<long>(type: "INTEGER", nullable: false),
                    LoadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevocationLists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Revocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SerialNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<int>(type: "INTEGER", nullable: false),
                    SubjectUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RevocationListId = table.Column<long>(type: "INTEGER", nullable: false),
                    LogIndex = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryBytes = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Revocations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Revocations_RevocationLists_RevocationListId",
                        column: x => x.RevocationListId,
                        principalTable: "RevocationLists",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RevocationLists_Number",
                table: "RevocationLists",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RevocationLists_Sha256",
                table: "RevocationLists",
                column: "Sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Revocations_LogIndex",
                table: "Revocations",
                column: "LogIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Revocations_RevocationListId",
                table: "Revocations",
                column: "RevocationListId");

            migrationBuilder.CreateIndex(
                name: "IX_Revocations_SerialNumber",
                table: "Revocations",
                column: "SerialNumber",
                unique: true);

            // Like decisions and log entries: what Central put in force and logged is never rewritten or removed,
            // whatever code runs against the database.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("CREATE TRIGGER RevocationLists_NoUpdate BEFORE UPDATE ON RevocationLists BEGIN SELECT RAISE(ABORT, 'stored CRLs are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER RevocationLists_NoDelete BEFORE DELETE ON RevocationLists BEGIN SELECT RAISE(ABORT, 'stored CRLs are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER Revocations_NoUpdate BEFORE UPDATE ON Revocations BEGIN SELECT RAISE(ABORT, 'logged revocations are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER Revocations_NoDelete BEFORE DELETE ON Revocations BEGIN SELECT RAISE(ABORT, 'logged revocations are append-only'); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS RevocationLists_NoUpdate;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS RevocationLists_NoDelete;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS Revocations_NoUpdate;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS Revocations_NoDelete;");
            }

            migrationBuilder.DropTable(
                name: "Revocations");

            migrationBuilder.DropTable(
                name: "RevocationLists");
        }
    }
}
