"""CDK app: `cd infra && python app.py` (or `cdk synth`) synthesizes one stack per stage (dev, prod) offline,
into cdk.out/ (or $CDK_OUTDIR). Context: -c alarm_email=... -c sla_breach_alarm_threshold=N (docs/deploying.md)."""
import os

os.environ.setdefault("AWS_DEFAULT_REGION", "ap-south-1")  # chalice package needs a region even offline
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aws_cdk as cdk  # noqa: E402

from infra.stacks import STAGES, ComplaintDeskStack  # noqa: E402

app = cdk.App()
for stage in STAGES:
    ComplaintDeskStack(app, stage, env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
                                                      region=os.environ.get("CDK_DEFAULT_REGION", "ap-south-1")))
app.synth()
