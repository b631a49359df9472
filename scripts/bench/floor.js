/**
 * The floor `npm run bench` compares against: what any cdktf app pays, run by plain
 * Node with nothing of ours — cdktf and two resource bindings loaded from
 * node_modules, one stack with one instance synthesized into CDKTF_OUTDIR.
 */
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { Instance } = require("@cdktf/provider-aws/lib/instance");

const app = new App({ outdir: process.env.CDKTF_OUTDIR, stackTraces: false });
const stack = new TerraformStack(app, "floor");
new AwsProvider(stack, "aws", { region: "us-east-1" });
new Instance(stack, "one", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro" });
app.synth();
