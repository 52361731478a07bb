using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Transmission.Central.Storage.Migrations
{
    /// <inheritdoc />
    public partial class MerkleLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Checkpoints",
                columns: table => new
                {
                    TreeSize = table.Column<long>(type: "INTEGER", nullable: false),
                    RootHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Checkpoints", x => x.TreeSize);
                });

            migrationBuilder.CreateTable(
                name: "MerkleNodes",
                columns: table => new
                {
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Index = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MerkleNodes", x => new { x.Level, x.Index });
                });

            migrationBuilder.CreateIndex(
                name: "IX_LogEntries_EntrySha256",
                table: "LogEntries",
                column: "EntrySha256");

            // Tree nodes and signed checkpoints are append-only like the log itself: a node, once its subtree is
            // complete, never changes, and a signed checkpoint is history.
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("CREATE TRIGGER MerkleNodes_NoUpdate BEFORE UPDATE ON MerkleNodes BEGIN SELECT RAISE(ABORT, 'Merkle nodes are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER MerkleNodes_NoDelete BEFORE DELETE ON MerkleNodes BEGIN SELECT RAISE(ABORT, 'Merkle nodes are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER Checkpoints_NoUpdate BEFORE UPDATE ON Checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;");
                migrationBuilder.Sql("CREATE TRIGGER Checkpoints_NoDelete BEFORE DELETE ON Checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS MerkleNodes_NoUpdate;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS MerkleNodes_NoDelete;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS Checkpoints_NoUpdate;");
                migrationBuilder.Sql("DROP TRIGGER IF EXISTS Checkpoints_NoDelete;");
            }

            migrationBuilder.DropTable(
                name: "Checkpoints");

            migrationBuilder.DropTable(
                name: "MerkleNodes");

            migrationBuilder.DropIndex(
                name: "IX_LogEntries_EntrySha256",
                table: "LogEntries");
        }
    }
}
