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
        # moto's order: SecurityGroupRule(ec2_backend, ip_protocol, group_id, from_port, to_port, ...), called positionally.
        def init(self: Any, ec2_backend: Any, ip_protocol: str | None, group_id: str, from_port: Any, to_port: Any, *args: Any, **kwargs: Any) -> None:
            if ip_protocol and str(ip_protocol).lower() not in PORT_PROTOCOLS and from_port is None and to_port is None:
                from_port = to_port = -1
            original(self, ec2_backend, ip_protocol, group_id, from_port, to_port, *args, **kwargs)

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


def _user_groups(backend: Any) -> dict[str, dict[str, Any]]:
    if "rehearsal_user_groups" not in backend.__dict__:
        backend.rehearsal_user_groups = {}
    return backend.rehearsal_user_groups


def _elasticache_user_groups_patch() -> Patch:
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import ElastiCacheException
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    class UserGroupNotFound(ElastiCacheException):
        __module__ = "moto.elasticache.exceptions"  # moto finds the error shape by the module
        code = "UserGroupNotFound"

    class UserGroupAlreadyExists(ElastiCacheException):
        __module__ = "moto.elasticache.exceptions"
        code = "UserGroupAlreadyExists"

    class DefaultUserRequired(ElastiCacheException):
        __module__ = "moto.elasticache.exceptions"
        code = "DefaultUserRequired"

    class InvalidUserGroupState(ElastiCacheException):
        __module__ = "moto.elasticache.exceptions"
        code = "InvalidUserGroupState"

    def find(self: Any, group_id: str) -> dict[str, Any]:
        group = _user_groups(self.elasticache_backend).get(group_id)
        if group is None:
            raise UserGroupNotFound(f"User group {group_id} not found.")
        return group

    def view(self: Any, group: dict[str, Any]) -> dict[str, Any]:
        backend = self.elasticache_backend
        using = [rg.replication_group_id for rg in backend.replication_groups.values() if group["UserGroupId"] in (rg.user_group_ids or []) and rg.status != "deleting"]
        return {**group, "ReplicationGroups": using, "PendingChanges": {}}

    def check_users(self: Any, engine: str, user_ids: list[str]) -> None:
        backend = self.elasticache_backend
        for user_id in user_ids:
            if user_id not in backend.users:
                from moto.elasticache.exceptions import UserNotFound

                raise UserNotFound(user_id)
        if engine == "redis" and not any(backend.users[u].name == "default" for u in user_ids):
            raise DefaultUserRequired("A user with the username 'default' must be present in the user group.")

    def set_membership(self: Any, group_id: str, user_ids: list[str], member: bool) -> None:
        for user_id in user_ids:
            user = self.elasticache_backend.users.get(user_id)
            if user is None:
                continue
            if member and group_id not in user.user_group_ids:
                user.user_group_ids.append(group_id)
            if not member and group_id in user.user_group_ids:
                user.user_group_ids.remove(group_id)

    def create_user_group(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            params = self._get_params()
            group_id = params["UserGroupId"]
            engine = str(params.get("Engine", "")).lower()
            user_ids = list(params.get("UserIds") or [])
            groups = _user_groups(self.elasticache_backend)
            if group_id in groups:
                raise UserGroupAlreadyExists(f"User group {group_id} already exists.")
            check_users(self, engine, user_ids)
            backend = self.elasticache_backend
            group = {
                "UserGroupId": group_id,
                "Status": "active",
                "Engine": engine,
                "UserIds": user_ids,
                "MinimumEngineVersion": "6.0",
                "ARN": f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{group_id}",
            }
            groups[group_id] = group
            set_membership(self, group_id, user_ids, True)
            if params.get("Tags"):
                backend.tagging_service.tag_resource(group["ARN"], params["Tags"])
            return ActionResult({**view(self, group), "Status": "creating"})

        return handler

    def describe_user_groups(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            group_id = self._get_param("UserGroupId")
            groups = [find(self, group_id)] if group_id else list(_user_groups(self.elasticache_backend).values())
            return ActionResult({"UserGroups": [view(self, g) for g in groups]})

        return handler

    def modify_user_group(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            params = self._get_params()
            group = find(self, params["UserGroupId"])
            add = list(params.get("UserIdsToAdd") or [])
            remove = list(params.get("UserIdsToRemove") or [])
            after = [u for u in group["UserIds"] if u not in remove] + [u for u in add if u not in group["UserIds"]]
            check_users(self, group["Engine"], after)
            group["UserIds"] = after
            set_membership(self, group["UserGroupId"], remove, False)
            set_membership(self, group["UserGroupId"], add, True)
            return ActionResult({**view(self, group), "Status": "modifying"})

        return handler

    def delete_user_group(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            group = find(self, self._get_param("UserGroupId"))
            shown = view(self, group)
            if shown["ReplicationGroups"]:
                raise InvalidUserGroupState(f"User group {group['UserGroupId']} is associated with replication group(s) {', '.join(shown['ReplicationGroups'])}.")
            del _user_groups(self.elasticache_backend)[group["UserGroupId"]]
            set_membership(self, group["UserGroupId"], group["UserIds"], False)
            return ActionResult({**shown, "Status": "deleting"})

        return handler

    def list_tags_for_resource(original: Any) -> Any:
        # moto's ARN check knows no user groups; AWS tags them like every other ElastiCache resource.
        def method(self: Any, arn: str) -> Any:
            if ":usergroup:" in arn:
                return self.tagging_service.list_tags_for_resource(arn)
            return original(self, arn)

        return method

    return Patch(
        name="elasticache-user-groups",
        moto_behaviour="CreateUserGroup, DescribeUserGroups, ModifyUserGroup and DeleteUserGroup are not implemented (the SDK retries, aws_elasticache_user_group fails, and the Redis replication groups that name it are never created); user group ARNs are refused by ListTagsForResource",
        aws_behaviour="a user group holds users of one engine (Redis: one of them must have the user name \"default\"), is created active, lists the replication groups that use it, cannot be deleted while a replication group uses it, and is tagged like any ElastiCache resource",
        reference="https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html, API_DescribeUserGroups.html, API_ModifyUserGroup.html, API_DeleteUserGroup.html, API_UserGroup.html",
        targets=[
            (ElastiCacheResponse, "create_user_group", create_user_group),
            (ElastiCacheResponse, "describe_user_groups", describe_user_groups),
            (ElastiCacheResponse, "modify_user_group", modify_user_group),
            (ElastiCacheResponse, "delete_user_group", delete_user_group),
            (ElastiCacheBackend, "list_tags_for_resource", list_tags_for_resource),
        ],
    )


def _elasticache_replication_group_members_patch() -> Patch:
    from moto.elasticache.models import CacheCluster, ElastiCacheBackend

    def member_cluster(backend: Any, group: Any, cluster_id: str, az: str | None) -> Any:
        cluster = CacheCluster(
            account_id=backend.account_id, region_name=backend.region_name, cache_cluster_id=cluster_id,
            cache_node_type=group.cache_node_type, replication_group_id=group.replication_group_id, az_mode="single-az",
            preferred_availability_zone=az, num_cache_nodes=1, engine=group.engine, engine_version=group.engine_version,
            cache_parameter_group_name=group.cache_parameter_group_name, cache_subnet_group_name=group.cache_subnet_group_name,
            transit_encryption_enabled=group.transit_encryption_enabled, network_type=group.network_type, ip_discovery=group.ip_discovery,
            snapshot_name=None, preferred_maintenance_window=group.preferred_maintenance_window, port=group.port,
            notification_topic_arn=group.notification_topic_arn, auto_minor_version_upgrade=group.auto_minor_version_upgrade,
            snapshot_retention_limit=group.snapshot_retention_limit, snapshot_window=group.snapshot_window, auth_token=None,
            outpost_mode=None, preferred_outpost_arn=None, preferred_availability_zones=None,
            cache_security_group_names=group.cache_security_group_names, security_group_ids=group.security_group_ids, tags=None,
            snapshot_arns=None, preferred_outpost_arns=None, log_delivery_configurations=[], cache_node_ids_to_remove=None,
            cache_node_ids_to_reboot=None,
        )
        # CacheCluster's response shapes (CacheParameterGroup, SecurityGroups) that moto's model does not fill.
        cluster.cache_parameter_group = {"CacheParameterGroupName": group.cache_parameter_group_name, "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []} if group.cache_parameter_group_name else None
        cluster.security_groups = [{"SecurityGroupId": g, "Status": "active"} for g in (group.security_group_ids or [])]
        cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
        cluster.transit_encryption_mode = group.transit_encryption_mode
        return cluster

    def create(original: Any) -> Any:
        def create_replication_group(self: Any, **kwargs: Any) -> Any:
            if (kwargs.get("cluster_mode") or "disabled") == "disabled" and kwargs.get("num_cache_clusters") and not kwargs.get("replicas_per_node_group"):
                # moto counts members from ReplicasPerNodeGroup only; NumCacheClusters is primary + replicas.
                kwargs["replicas_per_node_group"] = int(kwargs["num_cache_clusters"]) - 1
            group = original(self, **kwargs)
            azs = kwargs.get("preferred_cache_cluster_azs") or []
            for index, cluster_id in enumerate(group.member_clusters):
                self.cache_clusters[cluster_id] = member_cluster(self, group, cluster_id, azs[index] if index < len(azs) else None)
            return group

        return create_replication_group

    def describe(original: Any) -> Any:
        def describe_replication_groups(self: Any, replication_group_id: str | None = None) -> Any:
            # A deleted group is shown once as "deleting", then is gone (like moto's users).
            gone = [g for g in self.replication_groups.values() if g.status == "deleting" and getattr(g, "rehearsal_deleting_seen", False)]
            for group in gone:
                self.replication_groups.pop(group.replication_group_id, None)
                for cluster_id in group.member_clusters + ([group.primary_cluster_id] if group.primary_cluster_id else []):
                    cluster = self.cache_clusters.get(cluster_id)
                    if cluster is not None and getattr(cluster, "replication_group_id", None) == group.replication_group_id:
                        self.cache_clusters.pop(cluster_id)
            out = original(self, replication_group_id)
            for group in out:
                if group.status == "deleting":
                    group.rehearsal_deleting_seen = True
            return out

        return describe_replication_groups

    return Patch(
        name="elasticache-replication-group-members",
        moto_behaviour="a replication group (cluster mode disabled) gets one member whatever NumCacheClusters asks, its member clusters are not cache clusters (DescribeCacheClusters: CacheClusterNotFound, which the provider reads node type, parameter group, security groups and maintenance window from), and a deleted group stays \"deleting\" for ever, so the provider's delete waiter never ends",
        aws_behaviour="NumCacheClusters clusters are created (one primary, the rest replicas), each a cache cluster carrying the group's settings and its ReplicationGroupId; a deleted group is removed with its member clusters, after which DescribeReplicationGroups answers ReplicationGroupNotFoundFault",
        reference="https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html (NumCacheClusters), API_CacheCluster.html, API_DeleteReplicationGroup.html",
        targets=[(ElastiCacheBackend, "create_replication_group", create), (ElastiCacheBackend, "describe_replication_groups", describe)],
    )


def _elasticache_delete_subnet_group_patch() -> Patch:
    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound
    from moto.elasticache.responses import ElastiCacheResponse

    def make(_original: Any) -> Any:
        def delete_cache_subnet_group(self: Any) -> Any:
            name = self._get_param("CacheSubnetGroupName")
            backend = self.elasticache_backend
            if name not in backend.cache_subnet_groups:
                raise CacheSubnetGroupNotFound(name)
            backend.cache_subnet_groups.pop(name)
            return EmptyResult()

        return delete_cache_subnet_group

    return Patch(
        name="elasticache-delete-subnet-group",
        moto_behaviour="DeleteCacheSubnetGroup is not implemented, so aws_elasticache_subnet_group cannot be destroyed",
        aws_behaviour="deletes the cache subnet group; DescribeCacheSubnetGroups then answers CacheSubnetGroupNotFoundFault",
        reference="https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteCacheSubnetGroup.html",
        targets=[(ElastiCacheResponse, "delete_cache_subnet_group", make)],
    )


def _backup_selections_patch() -> Patch:
    import uuid

    from moto.backup.exceptions import ResourceNotFoundException
    from moto.backup.responses import BackupResponse
    from moto.core.utils import unix_time

    def store(self: Any) -> dict[str, dict[str, Any]]:
        backend = self.backup_backend
        if "rehearsal_selections" not in backend.__dict__:
            backend.rehearsal_selections = {}
        return backend.rehearsal_selections

    def ids(self: Any) -> tuple[str, str | None]:
        # /backup/plans/{backupPlanId}/selections/[{selectionId}]
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        plan_id = parts[2]
        selection_id = parts[4] if len(parts) > 4 else None
        plan = self.backup_backend.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise ResourceNotFoundException(msg=f"Failed reading Backup plan with provided version: {plan_id}")
        return plan_id, selection_id

    def find(self: Any, plan_id: str, selection_id: str | None) -> dict[str, Any]:
        selection = store(self).get(selection_id or "")
        if selection is None or selection["BackupPlanId"] != plan_id:
            raise ResourceNotFoundException(msg=f"Failed reading Backup selection {selection_id}")
        return selection

    def create_backup_selection(_original: Any) -> Any:
        def handler(self: Any) -> str:
            plan_id, _ = ids(self)
            body = json.loads(self.body or "{}")
            given = body["BackupSelection"]
            selection = {
                "BackupPlanId": plan_id,
                "SelectionId": str(uuid.uuid4()),
                "CreationDate": unix_time(),
                "CreatorRequestId": body.get("CreatorRequestId"),
                # AWS answers with every list of the selection, the ones not given empty.
                "BackupSelection": {
                    "SelectionName": given["SelectionName"],
                    "IamRoleArn": given["IamRoleArn"],
                    "Resources": given.get("Resources") or [],
                    "NotResources": given.get("NotResources") or [],
                    "ListOfTags": given.get("ListOfTags") or [],
                    "Conditions": {k: (given.get("Conditions") or {}).get(k) or [] for k in ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")},
                },
            }
            store(self)[selection["SelectionId"]] = selection
            return json.dumps({k: selection[k] for k in ("SelectionId", "BackupPlanId", "CreationDate")})

        return handler

    def get_backup_selection(_original: Any) -> Any:
        def handler(self: Any) -> str:
            plan_id, selection_id = ids(self)
            return json.dumps({k: v for k, v in find(self, plan_id, selection_id).items() if v is not None})

        return handler

    def delete_backup_selection(_original: Any) -> Any:
        def handler(self: Any) -> str:
            plan_id, selection_id = ids(self)
            find(self, plan_id, selection_id)
            del store(self)[selection_id]
            return "{}"

        return handler

    def list_backup_selections(_original: Any) -> Any:
        def handler(self: Any) -> str:
            plan_id, _ = ids(self)
            listed = [
                {"SelectionId": s["SelectionId"], "SelectionName": s["BackupSelection"]["SelectionName"], "BackupPlanId": plan_id, "CreationDate": s["CreationDate"], "IamRoleArn": s["BackupSelection"]["IamRoleArn"]}
                for s in store(self).values()
                if s["BackupPlanId"] == plan_id
            ]
            return json.dumps({"BackupSelectionsList": listed})

        return handler

    return Patch(
        name="backup-selections",
        moto_behaviour="CreateBackupSelection, GetBackupSelection, DeleteBackupSelection and ListBackupSelections are not implemented, so aws_backup_selection cannot be created",
        aws_behaviour="a backup selection (name, IAM role, resources, tag conditions) belongs to a backup plan and gets a SelectionId; GetBackupSelection returns it with every list (the ones not given empty) and ResourceNotFoundException once deleted",
        reference="https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupSelection.html, API_GetBackupSelection.html, API_DeleteBackupSelection.html, API_ListBackupSelections.html, API_BackupSelection.html",
        targets=[
            (BackupResponse, "create_backup_selection", create_backup_selection),
            (BackupResponse, "get_backup_selection", get_backup_selection),
            (BackupResponse, "delete_backup_selection", delete_backup_selection),
            (BackupResponse, "list_backup_selections", list_backup_selections),
        ],
    )


def _backup_list_tags_path_patch() -> Patch:
    from urllib.parse import unquote

    from moto.backup.responses import BackupResponse

    def make(_original: Any) -> Any:
        def list_tags(self: Any) -> str:
            path = self.path.split("?")[0]
            resource_arn = unquote(path.split("/tags/", 1)[1].rstrip("/"))
            return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=resource_arn)})

        return list_tags

    return Patch(
        name="backup-list-tags-path",
        moto_behaviour="ListTags takes the ARN from the second-to-last path segment, so a request without the trailing slash (GET /tags/{arn}, as the provider's SDK sends it) lists the tags of the ARN \"tags\": none; the provider then plans to add every tag of a backup plan or vault again on every plan",
        aws_behaviour="ListTags returns the tags of the resource named by the ARN in the path",
        reference="https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListTags.html",
        targets=[(BackupResponse, "list_tags", make)],
    )


def _cloudfront_origin_group_target_patch() -> Patch:
    from moto.cloudfront.models import DistributionConfig

    def make(original: Any) -> Any:
        def init(self: Any, config: dict[str, Any]) -> None:
            groups = [g.get("Id") for g in ((config.get("OriginGroups") or {}).get("Items") or [])]
            origins = [o["Id"] if isinstance(o, dict) else o.id for o in config["Origins"]["Items"]]
            target = (config.get("DefaultCacheBehavior") or {}).get("TargetOriginId")
            if target in groups and target not in origins and origins:
                # moto's check knows origins only: let it pass with an origin, then restore the group as the target.
                original(self, {**config, "DefaultCacheBehavior": {**config["DefaultCacheBehavior"], "TargetOriginId": origins[0]}})
                self.DefaultCacheBehavior.target_origin_id = target
                return
            original(self, config)

        return init

    return Patch(
        name="cloudfront-origin-group-target",
        moto_behaviour="CreateDistribution answers NoSuchOrigin when the default cache behaviour targets an origin group: moto checks TargetOriginId against the origins only",
        aws_behaviour="TargetOriginId names an origin or an origin group of the distribution (origin failover sends requests to the group)",
        reference="https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DefaultCacheBehavior.html (TargetOriginId: \"The value of ID for the origin that you want CloudFront to route requests to\") and https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html",
        targets=[(DistributionConfig, "__init__", make)],
    )


def _rds_cross_region_replica_patch() -> Patch:
    from moto.rds.models import RDSBackend

    def make(original: Any) -> Any:
        def create_db_instance_read_replica(self: Any, db_kwargs: dict[str, Any]) -> Any:
            source = str(db_kwargs.get("source_db_instance_identifier") or "")
            if self.arn_regex.match(source) and source.split(":")[3] != self.region_name:
                # moto sets the replica's attributes in request order and moves it to this region last, so the
                # subnet group (and parameter group) were looked up in the source's region. Move it first.
                db_kwargs = {"backend": self, **db_kwargs}
            return original(self, db_kwargs)

        return create_db_instance_read_replica

    return Patch(
        name="rds-cross-region-replica",
        moto_behaviour="a cross-region read replica (SourceDBInstanceIdentifier an ARN of another region) looks its DB subnet group up in the source's region: DBSubnetGroupNotFoundFault for a subnet group of its own region",
        aws_behaviour="the replica is created in the region the request is sent to, with that region's DB subnet group, parameter group and security groups",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html (DBSubnetGroupName: \"the DB subnet group ... must be in the same Amazon Web Services Region as the read replica\")",
        targets=[(RDSBackend, "create_db_instance_read_replica", make)],
    )


def _cloudfront_cache_policy_behaviour_patch() -> Patch:
    from moto.cloudfront.models import DefaultCacheBehaviour

    def make(original: Any) -> Any:
        def init(self: Any, config: dict[str, Any]) -> None:
            original(self, config)
            if config.get("CachePolicyId") and not config.get("ForwardedValues"):
                # A behaviour with a cache policy has no legacy ForwardedValues; moto invents defaults for it.
                self.forwarded_values = None

        return init

    return Patch(
        name="cloudfront-cache-policy-behaviour",
        moto_behaviour="a cache behaviour that uses a cache policy (CachePolicyId, no ForwardedValues) is described with invented legacy ForwardedValues (QueryString false, Cookies none); the provider reads forwarded_values from it and plans to remove them on every plan",
        aws_behaviour="ForwardedValues is a legacy setting returned only when the behaviour was given it; a behaviour with a cache policy has none",
        reference="https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DefaultCacheBehavior.html (ForwardedValues: \"This field is deprecated. We recommend that you use a cache policy or an origin request policy instead\"; \"A DefaultCacheBehavior must include either a CachePolicyId or ForwardedValues\")",
        targets=[(DefaultCacheBehaviour, "__init__", make)],
    )


def _cloudfront_viewer_certificate_acm_patch() -> Patch:
    from moto.cloudfront.models import ViewerCertificate

    def make(original: Any) -> Any:
        def init(self: Any, config: dict[str, Any]) -> None:
            original(self, config)
            if "CloudFrontDefaultCertificate" not in config and (config.get("ACMCertificateArn") or config.get("IAMCertificateId")):
                self.cloud_front_default_certificate = False
                self.certificate_source = "acm" if config.get("ACMCertificateArn") else "iam"

        return init

    return Patch(
        name="cloudfront-viewer-certificate-acm",
        moto_behaviour="a viewer certificate given as ACMCertificateArn (CloudFrontDefaultCertificate not sent, as the provider does) is described with CloudFrontDefaultCertificate true; the provider plans cloudfront_default_certificate = true -> null on every plan",
        aws_behaviour="a distribution with an ACM (or IAM) certificate does not use the CloudFront default certificate: CloudFrontDefaultCertificate is false and CertificateSource is acm",
        reference="https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html (CloudFrontDefaultCertificate: \"If you specify this field, the value must be true ... if the distribution uses Aliases ... set this field to false and specify values for ACMCertificateArn\")",
        targets=[(ViewerCertificate, "__init__", make)],
    )


def _prefix_list_rule_description_patch() -> Patch:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def make_init(original: Any) -> Any:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            # (ec2_backend, ip_protocol, group_id, from_port, to_port, ip_range, source_group, prefix_list_id)
            prefix = args[7] if len(args) > 7 else kwargs.get("prefix_list_id")
            self.rehearsal_prefix_list_description = (prefix or {}).get("Description")

        return init

    def make_description(original: Any) -> Any:
        def description(self: Any) -> Any:
            return original.fget(self) or getattr(self, "rehearsal_prefix_list_description", None)

        return property(description)

    return Patch(
        name="ec2-prefix-list-rule-description",
        moto_behaviour="a rule whose source is a prefix list (e.g. CloudFront's origin-facing servers) keeps the prefix list id but drops its description: DescribeSecurityGroupRules returns none, so the provider plans to set it again on every plan",
        aws_behaviour="every rule keeps its description, whatever its source (CIDR, prefix list or security group)",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html (Description) and API_SecurityGroupRule.html",
        targets=[(SecurityGroupRule, "__init__", make_init), (SecurityGroupRule, "description", make_description)],
    )


def _scaling_policy_enabled_patch() -> Patch:
    from moto.autoscaling.models import FakeScalingPolicy

    def make(original: Any) -> Any:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self.enabled = True
            if self.policy_type != "PredictiveScaling":
                self.predictive_scaling_configuration = None

        return init

    return Patch(
        name="autoscaling-policy-enabled",
        moto_behaviour="DescribePolicies returns no Enabled (the provider reads enabled = false and plans true on every plan) and a PredictiveScalingConfiguration for target-tracking policies too (the provider plans to remove it on every plan)",
        aws_behaviour="a policy is enabled unless created with Enabled=false (this patch does not imitate disabled policies: the stacks create none); only PredictiveScaling policies carry a PredictiveScalingConfiguration",
        reference="https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_ScalingPolicy.html (Enabled, PredictiveScalingConfiguration) and API_PutScalingPolicy.html (Enabled: \"The default is true\")",
        targets=[(FakeScalingPolicy, "__init__", make)],
    )


def _asg_default_instance_warmup_patch() -> Patch:
    from moto.autoscaling.responses import AutoScalingResponse

    def make(original: Any) -> Any:
        def handler(self: Any) -> Any:
            result = original(self)
            warmup = self._get_int_param("DefaultInstanceWarmup")
            if warmup is not None:
                group = self.autoscaling_backend.autoscaling_groups[self._get_param("AutoScalingGroupName")]
                group.default_instance_warmup = warmup
            return result

        return handler

    return Patch(
        name="autoscaling-default-instance-warmup",
        moto_behaviour="CreateAutoScalingGroup and UpdateAutoScalingGroup ignore DefaultInstanceWarmup; DescribeAutoScalingGroups returns none, so the provider plans default_instance_warmup again on every plan",
        aws_behaviour="the group keeps the default instance warmup it was given and returns it",
        reference="https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html (DefaultInstanceWarmup)",
        targets=[(AutoScalingResponse, "create_auto_scaling_group", make), (AutoScalingResponse, "update_auto_scaling_group", make)],
    )


def _route53_private_zone_from_vpc_patch() -> Patch:
    from moto.route53.responses import Route53

    def make(original: Any) -> Any:
        def create_hosted_zone(self: Any) -> Any:
            if self._get_param("VPC.VPCId") and not self._get_bool_param("HostedZoneConfig.PrivateZone", False):
                # moto reads the VPC only when PrivateZone is true; AWS makes a zone created with a VPC private.
                get_bool = self._get_bool_param
                self._get_bool_param = lambda name, default=None: True if name == "HostedZoneConfig.PrivateZone" else get_bool(name, default)
            return original(self)

        return create_hosted_zone

    return Patch(
        name="route53-private-zone-from-vpc",
        moto_behaviour="a hosted zone created with a VPC but without HostedZoneConfig.PrivateZone (the provider sends only the VPC) is made public and its VPC dropped; GetHostedZone returns no VPCs, so the provider plans to associate the VPC again on every plan",
        aws_behaviour="a hosted zone created with a VPC is a private hosted zone associated with that VPC; GetHostedZone lists its VPCs",
        reference="https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html (VPC: \"(Private hosted zones only) ... the Amazon VPC that you're associating with this hosted zone\") and API_GetHostedZone.html (VPCs)",
        targets=[(Route53, "create_hosted_zone", make)],
    )


def _launch_template_own_tags_patch() -> Patch:
    from moto.ec2.responses.launch_templates import LaunchTemplates

    def make(original: Any) -> Any:
        def create_launch_template(self: Any) -> Any:
            result = original(self)
            backend = self.ec2_backend
            template = backend.launch_templates[backend.launch_template_name_to_ids[self._get_param("LaunchTemplateName")]]
            for version in template.versions:
                specs = version.data.get("TagSpecifications")
                if specs:
                    version.data["TagSpecifications"] = [s for s in specs if s.get("ResourceType") != "launch-template"]
            return result

        return create_launch_template

    return Patch(
        name="ec2-launch-template-own-tags",
        moto_behaviour="the tags of the launch template itself (request TagSpecifications, resource type launch-template) are copied into its first version's LaunchTemplateData.TagSpecifications; the provider reads them as a tag_specifications block and plans to remove it (and a new version) on every plan",
        aws_behaviour="request-level TagSpecifications tag the launch template; LaunchTemplateData.TagSpecifications hold only what the template's instances, volumes and interfaces are tagged with at launch",
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html (TagSpecification.N: \"The tags to apply to the launch template on creation\") and API_LaunchTemplateTagSpecificationRequest.html",
        targets=[(LaunchTemplates, "create_launch_template", make)],
    )


def _ecr_repository_creation_templates_patch() -> Patch:
    from datetime import datetime, timezone

    from moto.core.exceptions import ServiceException
    from moto.core.responses import ActionResult
    from moto.ecr.responses import ECRResponse

    # moto finds an error's service model from the exception's module (moto.<service>....).
    class TemplateNotFoundException(ServiceException):
        __module__ = "moto.ecr.exceptions"
        code = "TemplateNotFoundException"

    class TemplateAlreadyExistsException(ServiceException):
        __module__ = "moto.ecr.exceptions"
        code = "TemplateAlreadyExistsException"

    FIELDS = ("description", "encryptionConfiguration", "resourceTags", "imageTagMutability", "imageTagMutabilityExclusionFilters", "repositoryPolicy", "lifecyclePolicy", "appliedFor", "customRoleArn")

    def store(self: Any) -> dict[str, dict[str, Any]]:
        backend = self.ecr_backend
        if "rehearsal_creation_templates" not in backend.__dict__:
            backend.rehearsal_creation_templates = {}
        return backend.rehearsal_creation_templates

    def find(self: Any) -> dict[str, Any]:
        prefix = self._get_param("prefix")
        template = store(self).get(prefix)
        if template is None:
            raise TemplateNotFoundException(f"The specified template with prefix '{prefix}' does not exist in the registry '{self.current_account}'")
        return template

    def answer(self: Any, template: dict[str, Any]) -> ActionResult:
        return ActionResult({"registryId": self.current_account, "repositoryCreationTemplate": template})

    def create(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            prefix = self._get_param("prefix")
            if prefix in store(self):
                raise TemplateAlreadyExistsException(f"The template with prefix '{prefix}' already exists in the registry '{self.current_account}'")
            now = datetime.now(timezone.utc)
            template = {"prefix": prefix, **{f: self._get_param(f) for f in FIELDS if self._get_param(f) is not None}, "createdAt": now, "updatedAt": now}
            # AWS defaults: AES256 encryption and mutable tags when not given.
            template.setdefault("encryptionConfiguration", {"encryptionType": "AES256"})
            template.setdefault("imageTagMutability", "MUTABLE")
            template.setdefault("resourceTags", [])
            store(self)[prefix] = template
            return answer(self, template)

        return handler

    def update(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            template = find(self)
            template.update({f: self._get_param(f) for f in FIELDS if self._get_param(f) is not None})
            template["updatedAt"] = datetime.now(timezone.utc)
            return answer(self, template)

        return handler

    def delete(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            template = find(self)
            del store(self)[template["prefix"]]
            return answer(self, template)

        return handler

    def describe(_original: Any) -> Any:
        def handler(self: Any) -> ActionResult:
            prefixes = self._get_param("prefixes") or []
            templates = [t for p, t in sorted(store(self).items()) if not prefixes or p in prefixes]
            return ActionResult({"registryId": self.current_account, "repositoryCreationTemplates": templates})

        return handler

    return Patch(
        name="ecr-repository-creation-templates",
        moto_behaviour="CreateRepositoryCreationTemplate, DescribeRepositoryCreationTemplates, UpdateRepositoryCreationTemplate and DeleteRepositoryCreationTemplate are not implemented (HTTP 500, retried by the SDK), so aws_ecr_repository_creation_template and the replication configuration that depends on it cannot be applied",
        aws_behaviour="a repository creation template is stored per registry and Region under its prefix with the settings given (AES256 encryption and MUTABLE tags when not given); Describe lists templates, filtered by prefixes; Update changes the given settings; Delete removes it and returns it; an unknown prefix answers TemplateNotFoundException, a second Create of a prefix TemplateAlreadyExistsException",
        reference="https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html, API_DescribeRepositoryCreationTemplates.html, API_UpdateRepositoryCreationTemplate.html, API_DeleteRepositoryCreationTemplate.html",
        targets=[
            (ECRResponse, "create_repository_creation_template", create),
            (ECRResponse, "update_repository_creation_template", update),
            (ECRResponse, "delete_repository_creation_template", delete),
            (ECRResponse, "describe_repository_creation_templates", describe),
        ],
    )


def _rds_promote_read_replica_patch() -> Patch:
    from moto.rds.models import RDSBackend

    def make(original: Any) -> Any:
        def promote_read_replica(self: Any, db_kwargs: dict[str, Any]) -> Any:
            database = self.databases.get(db_kwargs.get("db_instance_identifier"))
            source_id = database.source_db_instance_identifier if database is not None and database.is_replica else None
            promoted = original(self, db_kwargs)
            if source_id:
                try:
                    source = self.find_db_from_id(source_id)
                except Exception:  # noqa: BLE001 - the source may be gone (its region lost): nothing lists the replica then
                    source = None
                if source is not None:
                    # moto lists a same-region replica by identifier, a cross-region one by ARN.
                    source.replicas = [r for r in source.replicas if r not in (promoted.db_instance_identifier, promoted.db_instance_arn)]
                promoted.source_db_instance_identifier = None
            return promoted

        return promote_read_replica

    return Patch(
        name="rds-promote-read-replica",
        moto_behaviour="PromoteReadReplica marks the instance as no replica but keeps ReadReplicaSourceDBInstanceIdentifier, and the source keeps listing it in ReadReplicaDBInstanceIdentifiers; the provider reads replicate_source_db back from the promoted database and plans to promote it again",
        aws_behaviour="the promoted read replica becomes a standalone DB instance: it has no ReadReplicaSourceDBInstanceIdentifier and its former source no longer lists it among its read replicas",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_PromoteReadReplica.html (\"Promotes a read replica DB instance to a standalone DB instance\") and https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html",
        targets=[(RDSBackend, "promote_read_replica", make)],
    )


def _secret_replica_kms_key_patch() -> Patch:
    from moto.secretsmanager.models import FakeSecret, ReplicaSecret

    def create(original: Any) -> Any:
        def create_replicas(self: Any, replica_regions: list[dict[str, str]], force_overwrite: bool) -> Any:
            replicas = original(self, replica_regions, force_overwrite)
            keys = {c["Region"]: c["KmsKeyId"] for c in replica_regions or [] if c.get("KmsKeyId")}
            for replica in replicas:
                if replica.region in keys:
                    replica.config["KmsKeyId"] = keys[replica.region]
            return replicas

        return create_replicas

    def to_dict(original: Any) -> Any:
        def describe(self: Any) -> dict[str, Any]:
            dct = original(self)
            # The copy in the replica's region is encrypted with the replica's key, not the primary's.
            dct["KmsKeyId"] = self.config["KmsKeyId"]
            return dct

        return describe

    return Patch(
        name="secretsmanager-replica-kms-key",
        moto_behaviour="a replica created with its own KmsKeyId (AddReplicaRegions) is reported in ReplicationStatus with the AWS managed key alias/aws/secretsmanager; the provider reads replica.kms_key_id from it and plans to replace the replica block on every plan",
        aws_behaviour="each replica is encrypted with the KMS key given for its Region (the AWS managed key only when none is given), and ReplicationStatus reports that KmsKeyId",
        reference="https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicaRegionType.html (KmsKeyId: \"The ARN, key ID, or alias of the KMS key to encrypt the secret. If you don't include this field, Secrets Manager uses aws/secretsmanager\") and API_ReplicationStatusType.html",
        targets=[(FakeSecret, "create_replicas", create), (ReplicaSecret, "to_dict", to_dict)],
    )


def _rds_delete_cross_region_replica_patch() -> Patch:
    from moto.rds.models import DBInstance

    def make(_original: Any) -> Any:
        def remove_replica(self: Any, replica: Any) -> None:
            # moto lists a same-region replica by identifier and a cross-region one by ARN, but removes by identifier only.
            self.replicas = [r for r in self.replicas if r not in (replica.db_instance_identifier, replica.db_instance_arn)]

        return remove_replica

    return Patch(
        name="rds-delete-cross-region-replica",
        moto_behaviour="DeleteDBInstance of a cross-region read replica answers HTTP 500 (ValueError: list.remove(x)) after it has dropped the replica, and the source keeps listing the deleted replica's ARN in ReadReplicaDBInstanceIdentifiers; the SDK retries and reads DBInstanceNotFound",
        aws_behaviour="the read replica is deleted (DBInstance in state deleting) and its source no longer lists it among its read replicas",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html and https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html (ReadReplicaDBInstanceIdentifiers)",
        targets=[(DBInstance, "remove_replica", make)],
    )


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
        _elasticache_user_groups_patch(),
        _elasticache_replication_group_members_patch(),
        _elasticache_delete_subnet_group_patch(),
        _backup_selections_patch(),
        _backup_list_tags_path_patch(),
        _cloudfront_origin_group_target_patch(),
        _rds_cross_region_replica_patch(),
        _cloudfront_cache_policy_behaviour_patch(),
        _cloudfront_viewer_certificate_acm_patch(),
        _prefix_list_rule_description_patch(),
        _scaling_policy_enabled_patch(),
        _asg_default_instance_warmup_patch(),
        _route53_private_zone_from_vpc_patch(),
        _launch_template_own_tags_patch(),
        _ecr_repository_creation_templates_patch(),
        _rds_promote_read_replica_patch(),
        _secret_replica_kms_key_patch(),
        _rds_delete_cross_region_replica_patch(),
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


def _answer_lost_drift(name: str, response_class: Any, method: str, key_param: str, action: str, aws_behaviour: str, reference: str) -> Patch:
    """
    The first call of `action` per `key_param` value is applied, then its connection closes unanswered: the SDK
    resends it (same invocation, attempt 2). What CI's logs of 2026-12-02 (AddRoleToInstanceProfile) and 2026-12-03
    (CreateWebACL) show; the cause there is not known.
    """
    import socket
    import threading

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    answered_once: set[str] = set()
    request = threading.local()

    def make_action(original: Any) -> Any:
        def answer_then_lose(self: Any) -> Any:
            result = original(self)
            key = self._get_param(key_param)
            if key not in answered_once:
                answered_once.add(key)
                request.lose_answer = True
            return result

        return answer_then_lose

    def make_app(original: Any) -> Any:
        def __call__(self: Any, environ: Any, start_response: Any) -> Any:
            request.lose_answer = False
            body = original(self, environ, start_response)
            if request.lose_answer:
                request.lose_answer = False
                # The client sees the connection close before any answer (werkzeug writes nothing for a dropped connection).
                environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
                raise ConnectionResetError(f"(test drift) the answer to {action} is lost")
            return body

        return __call__

    return Patch(
        name=name,
        moto_behaviour=f"(test only) applies the first {action} of each {key_param}, then closes the connection without answering",
        aws_behaviour=aws_behaviour,
        reference=reference,
        targets=[(response_class, method, make_action), (DomainDispatcherApplication, "__call__", make_app)],
    )


def _answer_lost_drifts() -> list[Patch]:
    from moto.iam.responses import IamResponse
    from moto.wafv2.responses import WAFV2Response

    # name, response class, its method, the parameter that makes a call "the first", action, AWS behaviour, reference
    return [
        _answer_lost_drift(
            "test-iam-add-role-answer-lost", IamResponse, "add_role_to_instance_profile", "InstanceProfileName", "AddRoleToInstanceProfile",
            "a network fault AWS clients can meet: the SDK resends the call and IAM answers the second delivery 409 LimitExceeded",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html",
        ),
        _answer_lost_drift(
            "test-wafv2-create-web-acl-answer-lost", WAFV2Response, "create_web_acl", "Name", "CreateWebACL",
            "a network fault AWS clients can meet: the SDK resends the call and WAF answers the second delivery WAFDuplicateItemException, the web ACL outside the state",
            "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
        ),
    ]


def test_drifts() -> list[Patch]:
    """Deliberate departures from AWS, for the tests that the rehearsal fails on a perpetual diff, repeats an apply a resent call failed and answers an SDK resend with the first answer. Never used by npm run rehearse."""
    return [_tag_value_uppercase_drift(), *_answer_lost_drifts()]


def describe() -> str:
    return json.dumps(
        [{"name": p.name, "moto": p.moto_behaviour, "aws": p.aws_behaviour, "reference": p.reference} for p in all_patches()],
        indent=2,
    )
