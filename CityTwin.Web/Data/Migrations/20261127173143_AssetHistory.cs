using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityTwin.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AssetHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AssetChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssetId = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", nullable: false),
                    ActorKind = table.Column<string>(type: "TEXT", nullable: false),
                    Operation = table.Column<string>(type: "TEXT", nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    From = table.Column<string>(type: "TEXT", nullable: true),
                    To = table.Column<string>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    BatchId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssetChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AssetVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssetId = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidTo = table.Column<long>(type: "INTEGER", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    Condition = table.Column<int>(type: "INTEGER", nullable: true),
                    DistrictCode = table.Column<string>(type: "TEXT", nullable: true),
                    Publication = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssetVersions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssetChanges_AssetId_Id",
                table: "AssetChanges",
                columns: new[] { "AssetId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AssetChanges_At",
                table: "AssetChanges",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AssetChanges_BatchId",
                table: "AssetChanges",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_AssetVersions_AssetId_ValidFrom",
                table: "AssetVersions",
                columns: new[] { "AssetId", "ValidFrom" });

            migrationBuilder.CreateIndex(
                name: "IX_AssetVersions_ValidFrom_ValidTo",
                table: "AssetVersions",
                columns: new[] { "ValidFrom", "ValidTo" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssetChanges");

            migrationBuilder.DropTable(
                name: "AssetVersions");
        }
    }
}
