from django.urls import path

from onlinepay import views

app_name = "onlinepay"
urlpatterns = [
    path("zaplac/", views.pay, name="pay"),
    path("<str:reference>/", views.payment_return, name="return"),
    path("<str:reference>/demo/", views.demo_gateway, name="demo"),
]
