using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityTwin.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Assets_Condition_Status",
                table: "Assets",
                columns: new[] { "Condition", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Assets_Name_Status",
                table: "Assets",
                columns: new[] { "Name", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assets_Condition_Status",
                table: "Assets");

            migrationBuilder.DropIndex(
                name: "IX_Assets_Name_Status",
                table: "Assets");
        }
    }
}
