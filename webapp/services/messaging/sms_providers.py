"""The SMS providers behind the gateway, each through its official SDK. Each one's template ids,
sign name and keys come from the environment (see README, "Text messages"); the endpoint and
protocol can be pointed elsewhere (tests answer as the provider does on a local port). The SDKs
are imported when a provider is used, so a deployment on the log backend never loads them."""

import json

from flask import current_app


class ProviderError(RuntimeError):
    """The provider refused or could not be reached; the message is its own words."""


class LogProvider:
    """No provider: the message is only kept in the log (make run, tests, a demo)."""

    name = "log"

    def send(self, to_mobile: str, template: str, params: dict) -> str:
        return ""


class AliyunProvider:
    """Alibaba Cloud SMS (dysmsapi 2017-05-25)."""

    name = "aliyun"

    def send(self, to_mobile: str, template: str, params: dict) -> str:
        from alibabacloud_dysmsapi20170525 import models as dysms
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api

        config = current_app.config
        client = Client(
            open_api.Config(
                access_key_id=config["ALIYUN_ACCESS_KEY_ID"],
                access_key_secret=config["ALIYUN_ACCESS_KEY_SECRET"],
                endpoint=config["ALIYUN_SMS_ENDPOINT"],
                protocol=config["SMS_PROTOCOL"],
            )
        )
        request = dysms.SendSmsRequest(
            phone_numbers=to_mobile,
            sign_name=config["SMS_SIGN_NAME"],
            template_code=config["SMS_TEMPLATES"][template],
            template_param=json.dumps(params, ensure_ascii=False),
        )
        try:
            body = client.send_sms(request).body
        except Exception as exc:  # the SDK raises its own errors for network and HTTP failures
            raise ProviderError(str(exc)) from None
        if body.code != "OK":
            raise ProviderError(f"{body.code}: {body.message}")
        return body.biz_id or ""


class TencentProvider:
    """Tencent Cloud SMS (2021-01-11)."""

    name = "tencent"

    def send(self, to_mobile: str, template: str, params: dict) -> str:
        from tencentcloud.common import credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models, sms_client

        config = current_app.config
        profile = ClientProfile(
            httpProfile=HttpProfile(protocol=config["SMS_PROTOCOL"], endpoint=config["TENCENT_SMS_ENDPOINT"])
        )
        client = sms_client.SmsClient(
            credential.Credential(config["TENCENT_SECRET_ID"], config["TENCENT_SECRET_KEY"]),
            config["TENCENT_SMS_REGION"],
            profile,
        )
        request = models.SendSmsRequest()
        request.PhoneNumberSet = ["+86" + to_mobile]
        request.SmsSdkAppId = config["TENCENT_SMS_APP_ID"]
        request.SignName = config["SMS_SIGN_NAME"]
        request.TemplateId = config["SMS_TEMPLATES"][template]
        request.TemplateParamSet = [str(value) for value in params.values()]
        try:
            status = client.SendSms(request).SendStatusSet[0]
        except TencentCloudSDKException as exc:
            raise ProviderError(str(exc)) from None
        if status.Code != "Ok":
            raise ProviderError(f"{status.Code}: {status.Message}")
        return status.SerialNo or ""


PROVIDERS = {provider.name: provider for provider in (LogProvider, AliyunProvider, TencentProvider)}
