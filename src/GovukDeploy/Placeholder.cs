namespace GovukDeploy.Commands; internal static class Placeholder {}
