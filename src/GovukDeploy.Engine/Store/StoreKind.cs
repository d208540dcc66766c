namespace GovukDeploy.Store;

public enum StoreKind
{
    Sqlite,
    Postgres,
}
