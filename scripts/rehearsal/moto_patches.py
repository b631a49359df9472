"""
Emulator compatibility layer: the places where moto 5.2.1 answers differently
from AWS in a way that breaks an apply, a re-plan or a destroy of our stacks.

Each patch is named, says what moto does, what AWS does (with the API
reference), and is covered by test_moto_patches.py, which proves both that
unpatched moto still behaves this way (so a moto upgrade that fixes it makes the
test fail and the patch can be deleted) and that the patched emulator behaves
like AWS. Patches imitate AWS; they never hide a defect of our stacks.
"""
from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class Patch:
    name: str
    moto_behaviour: str
    aws_behaviour: str
    reference: str
    # (owner object, attribute name, replacement factory taking the original)
    targets: list[tuple[Any, str, Callable[[Any], Any]]]
    _saved: list[tuple[Any, str, Any]] | None = None

    def apply(self) -> None:
        if self._saved is not None:
            return
        self._saved = []
        for owner, attr, make in self.targets:
            original = owner.__dict__.get(attr)
            self._saved.append((owner, attr, original))
            setattr(owner, attr, make(original))

    def revert(self) -> None:
        for owner, attr, original in reversed(self._saved or []):
            if original is None:
                delattr(owner, attr)
            else:
                setattr(owner, attr, original)
        self._saved = None


def _monitoring_patch() -> Patch:
    from moto.core.responses import ActionResult
    from moto.ec2.responses.monitoring import Monitoring

    def answer(state: str) -> Callable[[Any], Any]:
        def make(_original: Any) -> Any:
            def handler(self: Any) -> ActionResult:
                self.error_on_dryrun()
                ids = self._get_param("InstanceIds", [])
                monitorings = []
                for instance in self.ec2_backend.get_multi_instances_by_id(ids):
                    instance.monitoring_state = state
                    monitorings.append({"InstanceId": instance.id, "Monitoring": {"State": state}})
                return ActionResult({"InstanceMonitorings": monitorings})

            return handler

        return make

    return Patch(
        name="ec2-monitor-instances",
        moto_behaviour="MonitorInstances/UnmonitorInstances raise NotImplementedError (HTTP 500); the SDK retries 25 times, so aws_instance with monitoring = true appears to hang for minutes",
        aws_behaviour="enables (disables) detailed monitoring and returns InstanceMonitorings with each instance's new state; DescribeInstances then reports Monitoring.State enabled (disabled)",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_MonitorInstances.html",
        targets=[(Monitoring, "monitor_instances", answer("enabled")), (Monitoring, "unmonitor_instances", answer("disabled"))],
    )


def _terminated_instance_eni_patch() -> Patch:
    from moto.ec2.models.instances import Instance

    def make(original: Any) -> Any:
        def terminate(self: Any) -> Any:
            kept = [nic for nic in self.nics.values() if not nic.delete_on_termination]
            state = original(self)
            for nic in kept:
                # Detached from the interface's side only: moto's terminated instance still reads its private IP from nics[0].
                if nic.instance is self:
                    nic.instance = None
                    nic.attachment_id = None
                    nic.attach_time = None
                    nic.status = "available"
                    nic.device_index = None
            return state

        return terminate

    return Patch(
        name="ec2-terminate-detaches-kept-eni",
        moto_behaviour="terminating an instance leaves a network interface with DeleteOnTermination=false attached (status in-use) to the terminated instance, so DeleteNetworkInterface fails and the ENI cannot be destroyed",
        aws_behaviour="on termination, network interfaces that are not deleted are detached and become available",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/terminating-instances.html (\"any additional network interfaces ... are detached\") and https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterfaceAttachment.html",
        targets=[(Instance, "terminate", make)],
    )


def _eni_empty_association_patch() -> Patch:
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    def make(original: Any) -> Any:
        def association(self: Any) -> Any:
            value = original.fget(self)
            return value or None

        return property(association)

    return Patch(
        name="ec2-eni-no-empty-association",
        moto_behaviour="DescribeInstances returns an empty <association/> in the network interface of an instance without public IP; the provider's SDK reads it as an association with an empty public IP, and the plan differs from the applied state",
        aws_behaviour="the Association element is present only when the interface has a public IPv4 address (Elastic IP or auto-assigned)",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkInterface.html (Association: \"The association information for an Elastic IP address (IPv4) associated with the network interface\")",
        targets=[(NetworkInterface, "association", make)],
    )


def _new_dbi_resource_id() -> str:
    return "db-" + "".join(random.choices(string.ascii_uppercase + string.digits, k=26))


def _unique_dbi_resource_id_patch() -> Patch:
    from moto.rds.models import DBInstance, RDSBackend

    def make(original: Any) -> Any:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self.dbi_resource_id = _new_dbi_resource_id()

        return init

    def make_replica(original: Any) -> Any:
        # moto builds a read replica as a shallow copy of its source, id included.
        def create_db_instance_read_replica(self: Any, db_kwargs: dict[str, Any]) -> Any:
            replica = original(self, db_kwargs)
            replica.dbi_resource_id = _new_dbi_resource_id()
            return replica

        return create_db_instance_read_replica

    return Patch(
        name="rds-unique-dbi-resource-id",
        moto_behaviour="every DB instance gets the same DbiResourceId (db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U), a read replica its source's; with two databases (primary and replica) the provider, which reads instances back by resource id, finds the wrong one or \"couldn't find resource\"",
        aws_behaviour="DbiResourceId is unique per DB instance in the Region and immutable",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html (DbiResourceId: \"The Amazon Web Services Region-unique, immutable identifier for the DB instance\")",
        targets=[(DBInstance, "__init__", make), (RDSBackend, "create_db_instance_read_replica", make_replica)],
    )


def _parameter_source_user_patch() -> Patch:
    from moto.rds.models import DBParameterGroup

    def make(original: Any) -> Any:
        def update_parameters(self: Any, new_parameters: Any) -> None:
            new_parameters = list(new_parameters)
            original(self, new_parameters)
            for parameter in new_parameters:
                self.parameters[parameter["ParameterName"]]["Source"] = "user"

        return update_parameters

    return Patch(
        name="rds-parameter-source-user",
        moto_behaviour="parameters set with ModifyDBParameterGroup come back from DescribeDBParameters without Source; the provider keeps only Source=user parameters, so it reads none back and plans to set them again on every plan",
        aws_behaviour="a parameter a customer set is returned with Source \"user\" (engine defaults with \"engine-default\", \"system\")",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Parameter.html (Source: \"The source of the parameter value\") and API_DescribeDBParameters.html (Source filter: user | system | engine-default)",
        targets=[(DBParameterGroup, "update_parameters", make)],
    )


def _portless_protocol_rule_patch() -> Patch:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def make(original: Any) -> Any:
        def init(self: Any, ec2_backend: Any, group_id: str, ip_protocol: str | None, from_port: Any, to_port: Any, *args: Any, **kwargs: Any) -> None:
            if ip_protocol and str(ip_protocol).lower() not in PORT_PROTOCOLS and from_port is None and to_port is None:
                from_port = to_port = -1
            original(self, ec2_backend, group_id, ip_protocol, from_port, to_port, *args, **kwargs)

        return init

    return Patch(
        name="ec2-portless-protocol-rule",
        moto_behaviour="a security group rule for a protocol without ports (e.g. 112, VRRP, which keepalived speaks) and no FromPort/ToPort crashes with int(None) (HTTP 500, retried by the SDK until it gives up)",
        aws_behaviour="for protocols other than TCP, UDP and ICMP the rule allows all traffic of that protocol; ports are not given and are reported as -1",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html (FromPort/ToPort: \"If you specify all ICMP/ICMPv6 types ... -1\"; IpProtocol: \"[VPC only] Use -1 to specify all protocols ... for protocols other than tcp, udp, icmp, or icmpv6 ... traffic on all ports is allowed, regardless of any ports you specify\")",
        targets=[(SecurityGroupRule, "__init__", make)],
    )


def _instance_groups_from_primary_eni_patch() -> Patch:
    from moto.ec2.models.instances import Instance

    def make(original: Any) -> Any:
        def prep_nics(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            primary = self.nics.get(0)
            if not self.security_groups and primary is not None and primary._group_set:
                self.security_groups = list(primary._group_set)

        return prep_nics

    return Patch(
        name="ec2-instance-groups-from-primary-eni",
        moto_behaviour="an instance launched with its security groups in NetworkInterfaces[0].Groups (the provider does this when associate_public_ip_address is set) is described with an empty SecurityGroups list; the provider reads vpc_security_group_ids from it and plans to add the groups again on every plan",
        aws_behaviour="Instance.SecurityGroups lists the security groups of the instance (those of its primary network interface), however they were given at launch",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html (SecurityGroups: \"The security groups for the instance\")",
        targets=[(Instance, "prep_nics", make)],
    )


def _rds_enhanced_monitoring_patch() -> Patch:
    from moto.rds.models import DBInstance

    def make(original: Any) -> Any:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self.monitoring_interval = int(kwargs.get("monitoring_interval") or 0)
            if kwargs.get("monitoring_role_arn"):
                self.monitoring_role_arn = kwargs["monitoring_role_arn"]

        return init

    return Patch(
        name="rds-enhanced-monitoring",
        moto_behaviour="CreateDBInstance ignores MonitoringInterval and MonitoringRoleArn; DescribeDBInstances returns neither, so the provider plans to enable Enhanced Monitoring again on every plan",
        aws_behaviour="the instance keeps the Enhanced Monitoring interval and role it was created with and returns them",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html (MonitoringInterval, MonitoringRoleArn)",
        targets=[(DBInstance, "__init__", make)],
    )


def _group_rule_description_patch() -> Patch:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def make(original: Any) -> Any:
        def description(self: Any) -> Any:
            return original.fget(self) or (self.source_group or {}).get("Description")

        return property(description)

    return Patch(
        name="ec2-group-rule-description",
        moto_behaviour="a rule that references another security group loses its description: DescribeSecurityGroupRules returns none, so the provider plans to set it again on every plan",
        aws_behaviour="every rule keeps its description, whatever its source (CIDR, prefix list or security group)",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html (Description)",
        targets=[(SecurityGroupRule, "description", make)],
    )


def _peering_tags_per_region_patch() -> Patch:
    import copy

    from moto.ec2.models.vpc_peering_connections import VPCPeeringConnectionBackend

    def make(original: Any) -> Any:
        def describe_vpc_peering_connections(self: Any, vpc_peering_ids: Any = None) -> Any:
            out = []
            for pcx in original(self, vpc_peering_ids):
                if pcx.ec2_backend is not self:
                    # The other region's view of the same connection: same state, this region's tags.
                    pcx = copy.copy(pcx)
                    pcx.ec2_backend = self
                out.append(pcx)
            return out

        return describe_vpc_peering_connections

    return Patch(
        name="ec2-peering-tags-per-region",
        moto_behaviour="a cross-region peering connection is one object whose tags are read from the requester's region, so the accepter side describes the requester's tags; two sides tagged differently (Side = requester / accepter) differ on every plan",
        aws_behaviour="each side of a cross-region peering connection is tagged in its own region; tags are not shared between the requester and the accepter",
        reference="https://docs.aws.amazon.com/vpc/latest/peering/tag-peering-connections.html (\"tags ... are applied only in the account or Region in which you create them\")",
        targets=[(VPCPeeringConnectionBackend, "describe_vpc_peering_connections", make)],
    )


def _replica_multi_az_patch() -> Patch:
    from moto.rds.models import RDSBackend

    def make(original: Any) -> Any:
        # moto builds a read replica as a copy of its source: a Multi-AZ source gives a "Multi-AZ" replica.
        def create_db_instance_read_replica(self: Any, db_kwargs: dict[str, Any]) -> Any:
            replica = original(self, db_kwargs)
            replica.multi_az = bool(db_kwargs.get("multi_az") or False)
            return replica

        return create_db_instance_read_replica

    return Patch(
        name="rds-replica-multi-az",
        moto_behaviour="a read replica of a Multi-AZ instance is described as Multi-AZ whatever CreateDBInstanceReadReplica asked; the provider plans multi_az = false again on every plan",
        aws_behaviour="a read replica is Multi-AZ only when MultiAZ is requested for it; the default is a single-AZ replica",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html (MultiAZ: \"A value that indicates whether the read replica is in a Multi-AZ deployment\"; default: false)",
        targets=[(RDSBackend, "create_db_instance_read_replica", make)],
    )


def _instance_connect_endpoint_patch() -> Patch:
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.responses import EC2Response

    def endpoints(response: Any) -> dict[str, dict[str, Any]]:
        # One table per EC2 backend, i.e. per account and region, like every other EC2 resource.
        return response.ec2_backend.__dict__.setdefault("_instance_connect_endpoints", {})

    def shape(response: Any, endpoint: dict[str, Any], state: str | None = None) -> dict[str, Any]:
        tags = response.ec2_backend.tags.get(endpoint["InstanceConnectEndpointId"], {})
        return {**endpoint, "State": state or endpoint["State"], "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}

    def create(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            self.error_on_dryrun()
            subnet = self.ec2_backend.get_subnet(self._get_param("SubnetId"))
            groups = self._get_param("SecurityGroupIds", []) or [self.ec2_backend.get_default_security_group(subnet.vpc_id).id]
            for group in groups:
                self.ec2_backend.get_security_group_from_id(group) or _not_found("InvalidGroup.NotFound", group)
            table = endpoints(self)
            if any(e["VpcId"] == subnet.vpc_id for e in table.values()):
                raise EC2ClientError("InstanceConnectEndpointLimitExceeded", f"VPC {subnet.vpc_id} already has an EC2 Instance Connect Endpoint (one per VPC)")
            eid = "eice-" + "".join(random.choices("0123456789abcdef", k=17))
            dns = f"{eid}.{''.join(random.choices('0123456789abcdef', k=8))}.ec2-instance-connect-endpoint.{self.region}.amazonaws.com"
            table[eid] = {
                "OwnerId": self.current_account,
                "InstanceConnectEndpointId": eid,
                "InstanceConnectEndpointArn": f"arn:aws:ec2:{self.region}:{self.current_account}:instance-connect-endpoint/{eid}",
                "State": "create-complete",
                "StateMessage": "",
                "DnsName": dns,
                "FipsDnsName": dns.replace(".ec2-instance-connect-endpoint.", ".fips.ec2-instance-connect-endpoint."),
                # AWS's requester-managed interface is reported, not modelled: nothing else in the emulator depends on it.
                "NetworkInterfaceIds": ["eni-" + "".join(random.choices("0123456789abcdef", k=17))],
                "VpcId": subnet.vpc_id,
                "AvailabilityZone": subnet.availability_zone,
                "CreatedAt": utcnow(),
                "SubnetId": subnet.id,
                "PreserveClientIp": str(self._get_param("PreserveClientIp", "true")).lower() == "true",
                "SecurityGroupIds": groups,
                "IpAddressType": self._get_param("IpAddressType") or "ipv4",
            }
            tags = self._parse_tag_specification().get("instance-connect-endpoint", {})
            if tags:
                self.ec2_backend.create_tags([eid], tags)
            return ActionResult({"InstanceConnectEndpoint": shape(self, table[eid], "create-in-progress"), "ClientToken": self._get_param("ClientToken")})

        return handler

    def describe(_original: Any) -> Any:
        filter_fields = {"instance-connect-endpoint-id": "InstanceConnectEndpointId", "state": "State", "subnet-id": "SubnetId", "vpc-id": "VpcId"}

        def handler(self: Any) -> ActionResult:
            self.error_on_dryrun()
            table = endpoints(self)
            ids = self._get_param("InstanceConnectEndpointIds", [])
            for eid in ids:
                if eid not in table:
                    _not_found("InvalidInstanceConnectEndpointId.NotFound", eid)
            chosen = [table[eid] for eid in ids] if ids else list(table.values())
            for f in self._get_param("Filters", []):
                name, values = f.get("Name"), f.get("Values", [])
                if name in filter_fields:
                    chosen = [e for e in chosen if e[filter_fields[name]] in values]
                elif name and name.startswith("tag:"):
                    chosen = [e for e in chosen if self.ec2_backend.tags.get(e["InstanceConnectEndpointId"], {}).get(name[4:]) in values]
                else:
                    raise EC2ClientError("InvalidParameterValue", f"The filter '{name}' is invalid")
            return ActionResult({"InstanceConnectEndpoints": [shape(self, e) for e in chosen]})

        return handler

    def delete(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            self.error_on_dryrun()
            eid = self._get_param("InstanceConnectEndpointId")
            endpoint = endpoints(self).pop(eid, None) or _not_found("InvalidInstanceConnectEndpointId.NotFound", eid)
            answer = shape(self, endpoint, "delete-in-progress")
            self.ec2_backend.tags.pop(eid, None)
            return ActionResult({"InstanceConnectEndpoint": answer})

        return handler

    return Patch(
        name="ec2-instance-connect-endpoint",
        moto_behaviour="CreateInstanceConnectEndpoint, DescribeInstanceConnectEndpoints and DeleteInstanceConnectEndpoint are not implemented (HTTP 500 / unknown action), so aws_ec2_instance_connect_endpoint cannot be applied",
        aws_behaviour="creates an EC2 Instance Connect Endpoint in the subnet (one per VPC) with its security groups and tags, answering create-in-progress and then create-complete; Describe lists endpoints by id (unknown id: InvalidInstanceConnectEndpointId.NotFound) or by the filters instance-connect-endpoint-id, state, subnet-id, vpc-id, tag:<key>; Delete answers delete-in-progress and the endpoint is gone. The endpoint's network interface is reported by id but not modelled",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInstanceConnectEndpoint.html, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceConnectEndpoints.html, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteInstanceConnectEndpoint.html, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Ec2InstanceConnectEndpoint.html",
        targets=[
            (EC2Response, "create_instance_connect_endpoint", create),
            (EC2Response, "describe_instance_connect_endpoints", describe),
            (EC2Response, "delete_instance_connect_endpoint", delete),
        ],
    )


def _not_found(code: str, resource_id: str) -> Any:
    from moto.ec2.exceptions import EC2ClientError

    raise EC2ClientError(code, f"The resource '{resource_id}' does not exist")


PORT_PROTOCOLS = {"tcp", "6", "udp", "17", "icmp", "1", "icmpv6", "58", "-1", "all"}


def all_patches() -> list[Patch]:
    return [
        _monitoring_patch(),
        _terminated_instance_eni_patch(),
        _eni_empty_association_patch(),
        _unique_dbi_resource_id_patch(),
        _parameter_source_user_patch(),
        _portless_protocol_rule_patch(),
        _instance_groups_from_primary_eni_patch(),
        _rds_enhanced_monitoring_patch(),
        _group_rule_description_patch(),
        _peering_tags_per_region_patch(),
        _replica_multi_az_patch(),
        _instance_connect_endpoint_patch(),
    ]


def _tag_value_uppercase_drift() -> Patch:
    from moto.ec2.models.tags import TagBackend

    def make(original: Any) -> Any:
        def create_tags(self: Any, resource_ids: list[str], tags: dict[str, str]) -> bool:
            return original(self, resource_ids, {k: (v.upper() if k == DRIFT_TAG else v) for k, v in tags.items()})

        return create_tags

    return Patch(
        name="test-ec2-tag-value-uppercase",
        moto_behaviour=f"(test only) stores the value of the EC2 tag {DRIFT_TAG} in upper case",
        aws_behaviour="AWS keeps tag values as given: this deliberately wrong answer makes a perpetual diff to prove the rehearsal catches one",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html",
        targets=[(TagBackend, "create_tags", make)],
    )


DRIFT_TAG = "RehearsalDrift"


def test_drifts() -> list[Patch]:
    """Deliberate departures from AWS, for the test that the rehearsal fails on a perpetual diff. Never used by npm run rehearse."""
    return [_tag_value_uppercase_drift()]


def describe() -> str:
    return json.dumps(
        [{"name": p.name, "moto": p.moto_behaviour, "aws": p.aws_behaviour, "reference": p.reference} for p in all_patches()],
        indent=2,
    )
